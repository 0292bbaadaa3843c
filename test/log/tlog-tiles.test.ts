import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatTileIndex, formatTilePath, parseTilePath, tileExists } from '../../src/log/tlog-tiles.js';

describe('C2SP tlog-tiles paths', () => {
  it('writes tile indexes in groups of three digits, all but the last prefixed with x', () => {
    assert.equal(formatTileIndex(0), '000');
    assert.equal(formatTileIndex(67), '067');
    assert.equal(formatTileIndex(1234), 'x001/234');
    assert.equal(formatTileIndex(1234067), 'x001/x234/067');
    assert.equal(formatTilePath({ level: 2, index: 1234067, width: 256 }), 'tile/2/x001/x234/067');
    assert.equal(formatTilePath({ level: 'entries', index: 5, width: 17 }), 'tile/entries/005.p/17');
  });

  it('reads back what it writes, and only the spec’s one spelling', () => {
    assert.deepEqual(parseTilePath('0/x001/x234/067'), { level: 0, index: 1234067, width: 256 });
    assert.deepEqual(parseTilePath('entries/x001/234.p/17'), { level: 'entries', index: 1234, width: 17 });
    for (const bad of [
      '0/0', // not three digits
      '0/x000/001', // a leading zero group
      '0/001/234', // a non-final group without x
      '0/000.p/0', // widths are 1..255
      '0/000.p/256',
      '0/000.p/07', // no leading zeros in a width
      '01/000', // nor in a level
      '64/000', // levels stop at 63
      '0/000/',
      '../000',
      'entries/000.p/',
    ])
      assert.equal(parseTilePath(bad), null, bad);
  });

  it('knows which tiles a tree of a given size has', () => {
    assert.equal(tileExists({ level: 0, index: 0, width: 256 }, 255), false);
    assert.equal(tileExists({ level: 0, index: 0, width: 256 }, 256), true);
    assert.equal(tileExists({ level: 0, index: 1, width: 10 }, 266), true);
    assert.equal(tileExists({ level: 0, index: 1, width: 11 }, 266), false);
    assert.equal(tileExists({ level: 1, index: 0, width: 1 }, 255), false);
    assert.equal(tileExists({ level: 1, index: 0, width: 1 }, 256), true);
    assert.equal(tileExists({ level: 'entries', index: 0, width: 3 }, 3), true);
  });
});
