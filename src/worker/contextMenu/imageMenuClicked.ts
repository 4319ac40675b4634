/**
 * What a click on one of the image items does. "Upload image to Glean" uploads the image with the
 * defaults from Options → "Right-click uploads", as a job like the popup's; "Upload image to Glean…"
 * opens the upload form with the image selected. Either way the result, or why there is none, is
 * told by a notification.
 */
import type { Menus, Tabs } from 'webextension-polyfill';
import { t } from '../../shared/i18n.ts';
import { logError } from '../../shared/logFailure.ts';
import type { ImageMetadata } from '../../shared/imageMetadata.ts';
import { forgetPendingImage, keepPendingImage } from '../../shared/pendingImage.ts';
import { writeBlob } from '../../shared/uploadStore.ts';
import { describeError } from '../describeError.ts';
import { openPopup } from '../openPopup.ts';
import { startUpload } from '../uploads/startUpload.ts';
import type { UploadQueue } from '../uploads/uploadQueue.ts';
import { readClickedImage } from './clickedImage.ts';
import { askHostAccess } from './hostAccess.ts';
import { imageFileName, imageSource } from './imageSource.ts';
import { UPLOAD_ITEM, UPLOAD_WITH_DETAILS_ITEM } from './menuItems.ts';
import { notifyNotUploaded } from './notify.ts';

export interface ImageMenuDeps {
  /** The defaults from Options → "Right-click uploads". */
  uploadDefaults: () => Promise<ImageMetadata>;
  uploads: UploadQueue;
}

export function createImageMenuListener({ uploadDefaults, uploads }: ImageMenuDeps) {
  return function imageMenuClicked(info: Menus.OnClickData, tab: Tabs.Tab | undefined): void {
    if (info.menuItemId !== UPLOAD_ITEM && info.menuItemId !== UPLOAD_WITH_DETAILS_ITEM) return;
    const source = imageSource(info.srcUrl);
    const where = { src: info.srcUrl ?? '', tabId: tab?.id, frameId: info.frameId };
    const fileName = imageFileName(source, info.pageUrl);
    const withDetails = info.menuItemId === UPLOAD_WITH_DETAILS_ITEM;
    // Both calls start before the first await: only then is the click still a user action.
    const hostAccess = source.way === 'web' ? askHostAccess(source.url) : Promise.resolve(true);
    if (withDetails) void openPopup(tab?.windowId).catch((error: unknown) => logError('the upload form did not open', error));

    const work = async (): Promise<void> => {
      if (withDetails) {
        // The popup, opening now, must not show an image picked before this one while this one is read.
        await forgetPendingImage();
        await keepPendingImage(await readClickedImage(source, where, hostAccess), fileName);
        return;
      }
      const metadata = await uploadDefaults();
      if (!metadata.type) {
        await notifyNotUploaded(t('menuNoDefaultType'), { opensOptions: true });
        return;
      }
      const blob = await readClickedImage(source, where, hostAccess);
      const jobId = crypto.randomUUID();
      await writeBlob(jobId, blob);
      // The same checks and the same durable job as an upload from the popup.
      await startUpload(uploads, { jobId, metadata, fileName }, 'context-menu');
    };
    void work().catch((error: unknown) => notifyNotUploaded(describeError(error, 'upload/start').message));
  };
}
