// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ActionName } from '@/lib/contracts/actions';
import type { WorkloadSummary } from '@/lib/contracts/workload';
import { currentRevision, describeAction } from '@/lib/rollouts/action-rules';
import { deriveFixture } from '@/test/fixtures';
import { ActionDialog, type ActionConfirmation } from './action-dialog';

afterEach(cleanup);

/** A button that opens the dialog, as the action bar does: focus must come back to it. */
function Harness({ action, w, onConfirm }: { action: ActionName; w: WorkloadSummary; onConfirm: (c: ActionConfirmation) => void }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        open
      </button>
      {open && (
        <ActionDialog
          action={action}
          workload={w}
          busy={false}
          onCancel={() => setOpen(false)}
          onConfirm={(c) => {
            onConfirm(c);
            setOpen(false);
          }}
        />
      )}
    </>
  );
}

function openDialog(action: ActionName, w: WorkloadSummary) {
  const onConfirm = vi.fn<(c: ActionConfirmation) => void>();
  render(<Harness action={action} w={w} onConfirm={onConfirm} />);
  const opener = screen.getByRole('button', { name: 'open' });
  opener.focus();
  fireEvent.click(opener);
  return { onConfirm, opener, dialog: screen.getByRole('dialog') };
}

describe('ActionDialog', () => {
  const paused = deriveFixture('canary-manual-pause');

  it('says exactly what will happen, moves focus inside, Enter confirms with the reason, focus returns', () => {
    const { onConfirm, opener, dialog } = openDialog('promote', paused);
    expect(screen.getByTestId('action-description').textContent).toBe(describeAction('promote', paused));
    expect(dialog.contains(document.activeElement)).toBe(true);
    const reason = screen.getByRole('textbox', { name: /Reason/ });
    fireEvent.change(reason, { target: { value: ' metrics look fine ' } });
    fireEvent.keyDown(reason, { key: 'Enter' });
    expect(onConfirm).toHaveBeenCalledWith({ reason: 'metrics look fine', toRevision: undefined });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it('Escape closes without acting and focus returns to the button', () => {
    const { onConfirm, opener, dialog } = openDialog('pause', paused);
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(onConfirm).not.toHaveBeenCalled();
    expect(document.activeElement).toBe(opener);
  });

  it('Tab wraps inside the dialog', () => {
    const { dialog } = openDialog('pause', paused);
    const confirm = screen.getByRole('button', { name: 'Pause' });
    confirm.focus();
    fireEvent.keyDown(confirm, { key: 'Tab' });
    expect(dialog.contains(document.activeElement)).toBe(true);
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: /Reason/ }));
    fireEvent.keyDown(document.activeElement!, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(confirm);
  });

  it('abort needs the name typed: Enter and the button do nothing until it matches', () => {
    const { onConfirm } = openDialog('abort', paused);
    const confirm = screen.getByRole('button', { name: 'Abort' });
    expect((confirm as HTMLButtonElement).disabled).toBe(true);
    const typed = screen.getByRole('textbox', { name: `Type ${paused.name} to confirm` });
    fireEvent.change(typed, { target: { value: 'not-it' } });
    fireEvent.keyDown(typed, { key: 'Enter' });
    expect(onConfirm).not.toHaveBeenCalled();
    fireEvent.change(typed, { target: { value: paused.name } });
    expect((confirm as HTMLButtonElement).disabled).toBe(false);
    fireEvent.click(confirm);
    expect(onConfirm).toHaveBeenCalledWith({ reason: undefined, toRevision: undefined });
  });

  it('roll back lists the earlier revisions with their images and needs one chosen and the name typed', () => {
    const { onConfirm } = openDialog('undo', paused);
    const current = currentRevision(paused);
    const earlier = paused.revisions.filter((r) => r.revision !== null && r.revision !== current);
    const radios = screen.getAllByRole('radio');
    expect(radios).toHaveLength(earlier.length);
    const target = earlier[0]!;
    expect(screen.getByRole('dialog').textContent).toContain(target.images[0] ?? 'no images recorded');
    fireEvent.change(screen.getByRole('textbox', { name: `Type ${paused.name} to confirm` }), { target: { value: paused.name } });
    const confirm = screen.getByRole('button', { name: 'Roll back' }) as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    fireEvent.click(radios[0]!);
    expect(screen.getByTestId('action-description').textContent).toBe(describeAction('undo', paused, target.revision ?? undefined));
    fireEvent.click(confirm);
    expect(onConfirm).toHaveBeenCalledWith({ reason: undefined, toRevision: target.revision });
  });
});
