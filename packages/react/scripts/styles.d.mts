export const sourceDirectory: string;
export function stylesheetFiles(source?: string): string[];
export function documentStylesheet(source?: string): string;
export function shadowStylesheet(source?: string): Promise<string>;
export function widgetStylesheetModule(source?: string): Promise<string>;
