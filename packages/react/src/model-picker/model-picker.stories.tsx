'use client';

import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import { type ChatScenario, DEMO_MODEL_ID } from '../../../../.storybook/chat-backend';
import { ModelPicker } from './model-picker';

const models = [
  { id: DEMO_MODEL_ID, label: 'Demo model', provider: 'demo', contextWindow: 8_192 },
  { id: 'demo-large', label: 'Demo large', provider: 'demo', contextWindow: 128_000 },
];

const meta = {
  title: 'Components/ModelPicker',
  component: ModelPicker,
  args: { onChange: fn() },
  decorators: [
    (Story) => (
      <div className="confab-root" style={{ padding: 16 }}>
        <Story />
      </div>
    ),
  ],
} satisfies Meta<typeof ModelPicker>;

export default meta;
type Story = StoryObj<typeof meta>;

/** The server's models from `GET /models`, its default selected; choosing one reports it. */
export const SeveralModels: Story = {
  parameters: { chat: { model: { models } } satisfies ChatScenario },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const select = await canvas.findByRole('combobox', { name: 'Model' });
    await waitFor(() => expect(select).toHaveValue(DEMO_MODEL_ID));
    expect(within(select).getAllByRole('option')).toHaveLength(2);
    await userEvent.selectOptions(select, 'demo-large');
    expect(args.onChange).toHaveBeenCalledWith('demo-large');
  },
};

/** One model: shown, but there is nothing to choose. */
export const SingleModel: Story = {
  play: async ({ canvasElement }) => {
    const select = await within(canvasElement).findByRole('combobox', { name: 'Model' });
    await waitFor(() => expect(select).toBeDisabled());
  },
};
