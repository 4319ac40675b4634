/** The two live regions every page has: results in role="status", errors in role="alert". */
import { t } from '../shared/i18n.ts';

export interface Notice {
  kind: 'status' | 'alert';
  text: string;
}

export function NoticeLine({ notice }: { notice: Notice | null }) {
  return (
    <>
      <p role="status" class="notice">
        {notice?.kind === 'status' ? notice.text : ''}
      </p>
      <p role="alert" class="notice error">
        {notice?.kind === 'alert' ? notice.text : ''}
      </p>
    </>
  );
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : t('errorSomethingWrong');
}
