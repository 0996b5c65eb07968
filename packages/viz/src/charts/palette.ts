/**
 * Colours: the Okabe–Ito palette (Okabe & Ito, "Color Universal Design", 2008), distinguishable with the
 * common forms of colour-vision deficiency. Charts never rely on colour alone: status also has a shape,
 * and every coloured mark has a text label or a `<title>`.
 */

/** The eight Okabe–Ito colours. */
export const OKABE_ITO = {
  black: '#000000',
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  bluishGreen: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  reddishPurple: '#CC79A7',
} as const;

/** Series colours in order (black and yellow left out: poor on white as thin lines). */
export const SERIES_COLORS: readonly string[] = [
  OKABE_ITO.blue,
  OKABE_ITO.orange,
  OKABE_ITO.bluishGreen,
  OKABE_ITO.reddishPurple,
  OKABE_ITO.skyBlue,
  OKABE_ITO.vermillion,
];

/** The colour of series `i` (cycling). */
export function seriesColor(i: number): string {
  return SERIES_COLORS[((i % SERIES_COLORS.length) + SERIES_COLORS.length) % SERIES_COLORS.length] as string;
}

/** Neutral greys for axes, grid and secondary text. */
export const GREY = { text: '#333333', muted: '#666666', rule: '#BBBBBB', faint: '#EEEEEE' } as const;

/** Status colours: failures vermillion, degradations orange, injected delays sky blue, retries purple. */
export const STATUS_COLORS = {
  ok: OKABE_ITO.blue,
  delay: OKABE_ITO.skyBlue,
  abort: OKABE_ITO.vermillion,
  error: OKABE_ITO.vermillion,
  timeout: OKABE_ITO.vermillion,
  retry: OKABE_ITO.reddishPurple,
  degraded: OKABE_ITO.orange,
} as const;
