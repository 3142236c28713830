// GSM 03.38 basic set; the extension set's characters take two septets each.
const GSM_BASIC = new Set('@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà');
const GSM_EXTENSION = new Set('^{}\\[~]|€\f');

/** Segments of an SMS body: 160 GSM-7 septets (153 per part when split), else 70 UCS-2 units (67 per part). */
export function countSegments(body: string): number {
  let septets = 0;
  for (const character of body) {
    if (GSM_BASIC.has(character)) septets += 1;
    else if (GSM_EXTENSION.has(character)) septets += 2;
    else return ucs2Segments(body);
  }
  if (septets === 0) return 1;
  return septets <= 160 ? 1 : Math.ceil(septets / 153);
}

function ucs2Segments(body: string): number {
  const units = body.length;
  return units <= 70 ? 1 : Math.ceil(units / 67);
}
