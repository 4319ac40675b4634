/**
 * "Screenshot this tab": the visible part of the tab the popup was opened over. Opening the toolbar
 * popup grants `activeTab` for that tab, so the popup may capture it (src/shared/captureTab.ts).
 */
import { useState } from 'preact/hooks';
import { browser } from '../shared/browser.ts';
import { captureTab } from '../shared/captureTab.ts';
import { t } from '../shared/i18n.ts';
import { errorText } from '../ui/Messages.tsx';

interface Props {
  onCaptured: (file: File) => void;
  onProblem: (message: string) => void;
}

export function ScreenshotButton({ onCaptured, onProblem }: Props) {
  const [busy, setBusy] = useState(false);
  const take = async () => {
    setBusy(true);
    try {
      const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
      onCaptured(await captureTab(tab?.windowId, tab?.url));
    } catch (error) {
      onProblem(t('screenshotFailed', errorText(error)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <button type="button" disabled={busy} onClick={() => void take()}>
      {t('popupScreenshotButton')}
    </button>
  );
}
