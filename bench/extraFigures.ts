/**
 * Figures other parts of the project add to `npm run bench` (e.g. the slowest parser on adversarial
 * input): each entry returns one printable line. Run after the bot comparison.
 */
export type ExtraFigure = () => Promise<string> | string;

export const extraFigures: ExtraFigure[] = [];
