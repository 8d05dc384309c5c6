// The number matching of engine/Tracking/Dni/dni.js, outside a page (the script exports its pure functions to node).
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { swapText, swapTel } = require(path.join(__dirname, '..', '..', '..', '..', 'engine', 'Tracking', 'Dni', 'dni.js'));

const US = ['+14155550100'];
const POOL = '+15557200001';

test('a US number is found in every common layout and rewritten in that layout', () => {
  const cases = {
    'Call (415) 555-0100 now': 'Call (555) 720-0001 now',
    'Call 415-555-0100': 'Call 555-720-0001',
    '415.555.0100': '555.720.0001',
    '415 555 0100': '555 720 0001',
    '4155550100': '5557200001',
    '+1 415 555 0100': '+1 555 720 0001',
    '+1 (415) 555-0100': '+1 (555) 720-0001',
    '1-415-555-0100': '1-555-720-0001',
    '+14155550100': '+15557200001',
    '001 415 555 0100': '001 555 720 0001',
    'a\u00a0415\u00a0555\u00a00100': 'a\u00a0555\u00a0720\u00a00001',
  };
  for (const [printed, expected] of Object.entries(cases)) assert.equal(swapText(printed, US, POOL), expected, printed);
});

test('other numbers, dates, prices and partial matches are left alone', () => {
  for (const text of ['Fax (415) 555-0199', 'Opened 2026-12-01', 'Only $4,155.50', '415-555-01000', '555-0100', 'Order 14155550100123']) {
    assert.equal(swapText(text, US, POOL), text, text);
  }
});

test('several occurrences and several business numbers are all swapped', () => {
  assert.equal(swapText('(415) 555-0100 or (415) 555-0100', US, POOL), '(555) 720-0001 or (555) 720-0001');
  assert.equal(swapText('Sales 415-555-0100, support 415-555-0111', ['+14155550100', '+14155550111'], POOL), 'Sales 555-720-0001, support 555-720-0001');
});

test('a national number with a trunk prefix keeps it (UK style)', () => {
  assert.equal(swapText('Ring 020 7946 0018 or +44 20 7946 0018', ['+442079460018'], '+442079460999'), 'Ring 020 7946 0999 or +44 20 7946 0999');
});

test('a replacement of another length cannot keep the layout and is printed as E.164', () => {
  assert.equal(swapText('Call (415) 555-0100', US, '+4930123456789'), 'Call +4930123456789');
});

test('tel: links to the business number become tel:+E.164, parameters kept; others unchanged', () => {
  assert.equal(swapTel('tel:+14155550100', US, POOL), 'tel:+15557200001');
  assert.equal(swapTel('tel:415-555-0100', US, POOL), 'tel:+15557200001');
  assert.equal(swapTel('tel:(415)%20555-0100;ext=12', US, POOL), 'tel:+15557200001;ext=12');
  assert.equal(swapTel('TEL:+1.415.555.0100', US, POOL), 'tel:+15557200001');
  assert.equal(swapTel('tel:+14155550199', US, POOL), 'tel:+14155550199');
  assert.equal(swapTel('mailto:a@b.example', US, POOL), 'mailto:a@b.example');
  assert.equal(swapTel('tel:%E0%A4%A', US, POOL), 'tel:%E0%A4%A');
});

test('swapping is idempotent: a page already showing the pool number is unchanged', () => {
  const once = swapText('Call (415) 555-0100', US, POOL);
  assert.equal(swapText(once, US, POOL), once);
  assert.equal(swapText('Call (555) 720-0001', [...US, POOL], POOL), 'Call (555) 720-0001');
});
