// Display formatting: numbers, durations, times, dispositions. Pure functions (tested in node).

const COUNTRY_NAMES = typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames(undefined, { type: 'region' }) : null;

// ITU-T E.164 country codes of one and two digits; every other code has three (E.164 Annex to ITU OB 1245).
const ONE_DIGIT_CODES = new Set(['1', '7']);
const TWO_DIGIT_CODES = new Set(['20', '27', '30', '31', '32', '33', '34', '36', '39', '40', '41', '43', '44', '45', '46', '47', '48',
  '49', '51', '52', '53', '54', '55', '56', '57', '58', '60', '61', '62', '63', '64', '65', '66', '81', '82', '84', '86', '90', '91',
  '92', '93', '94', '95', '98']);

/** "+14155550123" → "+1 415-555-0123" for NANP numbers; other E.164 numbers "+CC rest" in groups of three; empty → "Withheld". */
export function phone(number) {
  if (!number) return 'Withheld';
  const nanp = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(number);
  if (nanp) return `+1 ${nanp[1]}-${nanp[2]}-${nanp[3]}`;
  if (!/^\+\d{8,15}$/.test(number)) return number;
  const digits = number.slice(1);
  const codeLength = ONE_DIGIT_CODES.has(digits[0]) ? 1 : TWO_DIGIT_CODES.has(digits.slice(0, 2)) ? 2 : 3;
  const rest = digits.slice(codeLength).replace(/(\d{3})(?=\d{3,})/g, '$1 ');
  return `+${digits.slice(0, codeLength)} ${rest}`;
}

/** Seconds → "0:07", "12:34", "1:02:03". */
export function duration(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

/** "California, United States", "US", or "" from region and ISO 3166 alpha-2 country. */
export function geography(region, country) {
  let countryName = country;
  try {
    if (country && COUNTRY_NAMES) countryName = COUNTRY_NAMES.of(country) ?? country;
  } catch {
    countryName = country;
  }
  return [region, countryName].filter(Boolean).join(', ');
}

const TIME = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const DATE_TIME = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
const FULL = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export const time = (date) => (date ? TIME.format(date) : '—');
export const dateTime = (date) => (date ? DATE_TIME.format(date) : '—');
export const fullDateTime = (date) => (date ? FULL.format(date) : '—');

/** Offset of `date` from `start` as "+0:03". */
export function offset(date, start) {
  if (!date || !start) return '';
  return `+${duration((date.getTime() - start.getTime()) / 1000)}`;
}

/** Offset for a call's timeline: tenths of a second in the first minute ("+0.4 s", where most steps happen), "+1:06" after. */
export function timelineOffset(date, start) {
  if (!date || !start) return '';
  const seconds = Math.max(0, (date.getTime() - start.getTime()) / 1000);
  return seconds < 60 ? `+${(Math.floor(seconds * 10) / 10).toFixed(1)} s` : offset(date, start);
}

export const DISPOSITIONS = {
  answered: 'Answered',
  'no-answer': 'No answer',
  busy: 'Busy',
  failed: 'Failed',
  voicemail: 'Voicemail',
  abandoned: 'Abandoned',
  'in-progress': 'In progress',
};

export const disposition = (value) => DISPOSITIONS[value || 'in-progress'] ?? value;

/** MOS (1–4.5, ITU-T G.107 E-model) → a rating word. */
export function mosRating(mos) {
  if (!mos) return 'not measured';
  if (mos >= 4.0) return 'good';
  if (mos >= 3.6) return 'fair';
  if (mos >= 3.1) return 'poor';
  return 'bad';
}

/** Milliseconds → "0:07" for transcript timestamps. */
export const ms = (value) => duration(value / 1000);

/** A routing destination as people read it: E.164 numbers formatted, SIP URIs as they are. */
export const destination = (value) => (/^\+\d{8,15}$/.test(value ?? '') ? phone(value) : value ?? '');
