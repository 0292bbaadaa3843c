import { Table, type TableProps } from 'antd';

/**
 * A table wider than a phone's screen: it scrolls sideways in a region of its own, named for screen readers and
 * focusable, so that a keyboard can scroll it too (axe: scrollable-region-focusable). The page itself never gets
 * wider than the screen.
 */
export function ScrollTable<T extends object>({
  label,
  minWidth,
  ...table
}: TableProps<T> & { label: string; minWidth: number }) {
  return (
    <div role="region" aria-label={label} tabIndex={0} style={{ overflowX: 'auto' }}>
      <Table<T> {...table} style={{ minWidth }} />
    </div>
  );
}
