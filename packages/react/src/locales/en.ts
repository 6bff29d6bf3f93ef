import { type ChatLabels, defaultLabels } from '../provider/labels';

/** English: the defaults, as a pack like the others. */
export const labels: ChatLabels = defaultLabels;
