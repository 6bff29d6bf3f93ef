'use client';

import { createContext } from 'react';
import { type ChatLabels, defaultLabels } from '../provider/labels';

export type MarkdownLabels = Pick<ChatLabels, 'copyCode' | 'copied' | 'imageLink'>;

/**
 * The labels of the surrounding `Markdown`, read by the elements that show text of their own
 * (code blocks, image links). Read when they render rather than built into the elements, so a
 * rendered block does not depend on the labels and can be reused under others.
 */
export const MarkdownLabelsContext = createContext<MarkdownLabels>(defaultLabels);
