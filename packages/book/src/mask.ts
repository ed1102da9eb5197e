/**
 * Masks an ID number for lists and details: the first four and the last four characters stay
 * (`3305**********1234`). Anything too short to keep eight characters hidden is masked whole.
 */
export function maskIdNumber(id: string): string {
  const s = id.trim();
  if (s.length < 12) return '*'.repeat(s.length);
  return `${s.slice(0, 4)}${'*'.repeat(s.length - 8)}${s.slice(-4)}`;
}

/**
 * Masks a phone number: a mobile keeps its first three and last four digits (`138****5678`); a
 * landline keeps its area code and last four digits (`0571-****6666`, an extension dropped);
 * anything else keeps at most its last four characters.
 */
export function maskPhone(phone: string): string {
  const s = phone.trim();
  if (/^1\d{10}$/.test(s)) return `${s.slice(0, 3)}****${s.slice(-4)}`;
  const landline = /^(0\d{2,3})-(\d{7,8})(?:-\d+)?$/.exec(s);
  if (landline) {
    const local = landline[2] ?? '';
    return `${landline[1]}-${'*'.repeat(local.length - 4)}${local.slice(-4)}`;
  }
  if (s.length < 8) return '*'.repeat(s.length);
  return `${'*'.repeat(s.length - 4)}${s.slice(-4)}`;
}

/**
 * Masks the ID numbers (18 characters, or the old 15 digits) and mobile numbers a free text carries
 * (a visit's note, a finding), as the book masks them in its fields. Digits running on longer than a
 * number are left alone: they are not one of these.
 */
export function maskNumbersInText(text: string): string {
  return text
    .replace(/(?<![\dA-Za-z])(\d{17}[\dXx]|\d{15})(?![\dA-Za-z])/g, (id) => maskIdNumber(id))
    .replace(/(?<!\d)(?:\+?86[ -]?)?(1[3-9]\d[ -]?\d{4}[ -]?\d{4})(?!\d)/g, (m, mobile: string) => {
      const digits = mobile.replace(/[ -]/g, '');
      return m.slice(0, m.length - mobile.length) + maskPhone(digits);
    });
}
