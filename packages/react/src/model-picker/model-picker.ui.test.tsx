// @vitest-environment happy-dom
import type { ChatBackend } from '@confab/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { testBackend } from '../internal/testing';
import {
  cleanup,
  getByRole,
  queryAllByRole,
  render,
  selectOption,
  waitFor,
} from '../internal/ui-testing';
import { ModelPicker } from './model-picker';

afterEach(cleanup);

const models = [
  { id: 'fast', label: 'Fast', provider: 'demo', contextWindow: 8_000 },
  { id: 'smart', label: 'Smart', provider: 'demo', contextWindow: 128_000 },
];

const optionLabels = (select: HTMLElement) =>
  [...(select as HTMLSelectElement).options].map((option) => option.textContent);

describe('ModelPicker', () => {
  it('lists the server’s models in a labelled select, the default model first selected', async () => {
    const container = await render(<ModelPicker />, { backend: testBackend({ models }) });
    const select = await waitForSelect(container);
    expect(optionLabels(select)).toEqual(['Fast', 'Smart']);
    expect((select as HTMLSelectElement).value).toBe('fast');
    expect((select as HTMLSelectElement).disabled).toBe(false);
  });

  it('reports the chosen model', async () => {
    const onChange = vi.fn();
    const container = await render(<ModelPicker onChange={onChange} />, {
      backend: testBackend({ models }),
    });
    const select = await waitForSelect(container);
    await selectOption(select, 'smart');
    expect(onChange).toHaveBeenCalledWith('smart');
    expect((select as HTMLSelectElement).value).toBe('smart');
  });

  it('shows the value it is given, even a model the server no longer lists', async () => {
    const container = await render(<ModelPicker value="retired" />, {
      backend: testBackend({ models }),
    });
    const select = await waitForSelect(container);
    expect((select as HTMLSelectElement).value).toBe('retired');
    expect(optionLabels(select)).toEqual(['retired', 'Fast', 'Smart']);
  });

  it('shows a single model, disabled', async () => {
    const container = await render(<ModelPicker />, {
      backend: testBackend({ models: [models[0]!] }),
    });
    const select = await waitForSelect(container);
    expect(optionLabels(select)).toEqual(['Fast']);
    expect((select as HTMLSelectElement).disabled).toBe(true);
  });

  it('shows a placeholder while the models load', async () => {
    const backend = testBackend({ models });
    let answer: () => void = () => {};
    const slow: ChatBackend = {
      ...backend,
      listModels: async (options) => {
        await new Promise<void>((resolve) => {
          answer = resolve;
        });
        return backend.listModels(options);
      },
    };
    const container = await render(<ModelPicker />, { backend: slow });
    expect(getByRole(container, 'status').textContent).toBe('Loading models…');
    expect(queryAllByRole(container, 'combobox')).toHaveLength(0);
    answer();
    await waitForSelect(container);
    expect(queryAllByRole(container, 'status')).toHaveLength(0);
  });
});

async function waitForSelect(container: HTMLElement): Promise<HTMLElement> {
  let select: HTMLElement | undefined;
  await waitFor(() => {
    select = getByRole(container, 'combobox', 'Model');
  });
  return select!;
}
