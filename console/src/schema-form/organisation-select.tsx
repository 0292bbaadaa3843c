import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../api/client';
import { useDebounced } from '../hooks/use-debounced';
import { useOrganisationNames } from '../hooks/organisation-names';

type Option = { value: string; label: string };

/** How many organisations the picker offers at once: typing part of a name narrows them down at the registry. */
const ORGANISATIONS_OFFERED = 20;
/** The pause in typing after which the registry is asked. */
const SEARCH_DELAY_MS = 250;
/** The longest name the registry searches for (GET /v1/organisations' `name`). */
const SEARCH_MAX_LENGTH = 200;

/**
 * An organisation picked by its name and roles, sent as its id: a person does not know another organisation's
 * `org_…` id. What the person types is searched at the registry (GET /v1/organisations?name=), so the picker works
 * however many organisations there are. Form.Item hands it `id`, `value` and `onChange`.
 */
export function OrganisationSelect(props: {
  id?: string;
  value?: string;
  onChange?: (id: string) => void;
  label: string;
}) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState('');
  const [chosen, setChosen] = useState<Option>();
  const name = useDebounced(typed.trim().slice(0, SEARCH_MAX_LENGTH), SEARCH_DELAY_MS);
  const organisations = useQuery({
    queryKey: ['organisations', { name }],
    queryFn: async () =>
      ok(
        await api.GET('/v1/organisations', {
          params: { query: { limit: ORGANISATIONS_OFFERED, ...(name ? { name } : {}) } },
        }),
      ),
    staleTime: 60_000,
    // The last answer stays listed while the next is on its way, instead of an empty list at every key.
    placeholderData: keepPreviousData,
  });
  const options: Option[] = (organisations.data?.items ?? []).map((o) => ({
    value: o.id,
    label: `${o.name} (${o.roles.map((r) => t(`organisationRoles.${r}`)).join(', ')})`,
  }));
  // The chosen organisation keeps its name when a later search does not list it (or the form came filled in).
  const { label, value, onChange, ...control } = props;
  const listed = value === undefined || options.some((o) => o.value === value);
  const known = chosen?.value === value ? chosen : undefined;
  const nameOf = useOrganisationNames(listed || known ? [] : [value]);
  if (!listed) options.unshift(known ?? { value, label: nameOf(value) });
  return (
    <Select<string, Option>
      {...control}
      value={value}
      onChange={(id, option) => {
        if (option && !Array.isArray(option)) setChosen(option);
        onChange?.(id);
      }}
      aria-label={label}
      showSearch={{ filterOption: false, onSearch: setTyped }}
      onOpenChange={(open) => {
        if (!open) setTyped('');
      }}
      loading={organisations.isFetching}
      options={options}
    />
  );
}
