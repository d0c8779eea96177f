import { slowestParser } from './parsers';
import { placeFigure } from './placeFigures';
import { understandingFigure } from './understanding';

/**
 * Figures other parts of the project add to `npm run bench`: each entry returns one printable line.
 * Run after the bot comparison.
 */
export type ExtraFigure = () => Promise<string> | string;

export const extraFigures: ExtraFigure[] = [
  () => {
    const slowest = slowestParser();
    return `slowest parser on 100 kB of adversarial input: ${slowest.name} on ${slowest.input}, ${slowest.ms.toFixed(1)} ms`;
  },
  placeFigure,
  understandingFigure,
];
