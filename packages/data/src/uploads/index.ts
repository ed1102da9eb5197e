import {
  AppError,
  admitUpload,
  bytesMatchType,
  isMalformedImage,
  type MatterPlace,
  mayReadUpload,
  type NewUpload,
  newId,
  stripLocation,
  type TownPrincipal,
  UPLOAD_LINK_SECONDS,
  UPLOAD_WINDOW_SECONDS,
  type UploadLink,
  type UploadPurpose,
  type UploadSlot,
  type UploadView,
  uploadTooLarge,
} from '@gridline/domain';
import { auditEntry } from '../audit';
import { blobStore, townBlobKey } from '../blobs';
import { commitChange, getItem, type Item, publicFields } from '../ops';
import { townKeys } from '../keys';
import { TABLE } from '../table';
import { uploadSigner } from './storage';

export { localBlobUrl, type LocalBlobGrant, signLocalBlobToken, verifyLocalBlobToken } from './local';
export { attachmentDisposition, type UploadSigner, uploadSigner } from './storage';

/** An upload as stored: the view, the declared limit, the version, and the TTL while pending. */
/** `attachedTo`: the matter an attachment was attached to (`none` until then); set once, in the matter's transaction. */
type StoredUpload = UploadView & { maxBytes: number; version: number; expiresAt?: number; attachedTo?: string };

/** Where an upload's bytes live: posted to `incoming`, copied to `files` once checked. Always under the town. */
export const uploadObjectKeys = (townId: string, uploadId: string) => ({
  incoming: townBlobKey(townId, 'incoming', uploadId),
  file: townBlobKey(townId, 'files', uploadId),
});

const notFound = () => new AppError('upload.not_found', 404, 'No such upload in this town.');

function view(s: StoredUpload): UploadView {
  const { maxBytes: _m, version: _v, expiresAt: _e, ...rest } = publicFields<StoredUpload>(s as unknown as Item);
  return rest;
}

/**
 * The uploads of one town as one caller uses them (`@gridline/data/uploads`): a slot to post a file to,
 * completing it (the stored bytes checked and cleaned), a short-lived link, and a checked file's bytes for
 * the import. Every object key lies under `towns/<the caller's town>/`.
 */
export function uploadsOf(principal: TownPrincipal) {
  const { townId, username } = principal;
  const k = townKeys(townId);

  async function load(uploadId: string): Promise<StoredUpload> {
    const item = await getItem<Item>(k.upload(uploadId), { consistent: true });
    if (!item) throw notFound();
    return publicFields<StoredUpload>(item);
  }

  /** The place of the matter an attachment belongs to, if it is attached to one. */
  async function attachedMatter(s: StoredUpload): Promise<MatterPlace | undefined> {
    if (s.purpose !== 'attachment' || !s.attachedTo || s.attachedTo === 'none') return undefined;
    return getItem<MatterPlace>(k.matter(s.attachedTo));
  }

  return {
    /** A slot for one file: checked against the purpose's limits, with the signed form to post it to. */
    async createSlot(req: NewUpload, now: string): Promise<UploadSlot> {
      const maxBytes = admitUpload(principal, req.purpose, req.contentType, req.size);
      const at = Date.parse(now);
      const uploadId = `u-${newId(at).toLowerCase()}`;
      const expires = new Date(at + UPLOAD_WINDOW_SECONDS * 1000);
      const stored: StoredUpload = {
        uploadId,
        purpose: req.purpose,
        fileName: req.fileName,
        contentType: req.contentType,
        size: req.size,
        status: 'pending',
        by: username,
        createdAt: now,
        ...(req.purpose === 'attachment' ? { attachedTo: 'none' } : {}),
        maxBytes,
        version: 1,
        // Kept a day past the window, so a late `complete` still finds the slot and says it expired.
        [TABLE.timeToLiveAttribute]: Math.floor(expires.getTime() / 1000) + 86_400,
      };
      const form = await uploadSigner().form({
        key: uploadObjectKeys(townId, uploadId).incoming,
        contentType: req.contentType,
        maxBytes,
        expiresAt: expires,
        now: new Date(at),
      });
      await commitChange({ writes: [{ kind: 'create', item: { ...k.upload(uploadId), type: 'Upload', ...stored } }], audit: [] });
      return { uploadId, form, expiresAt: expires.toISOString(), maxBytes, upload: view(stored) };
    },

    /**
     * Checks what was posted (size, the type its bytes show, images without location metadata) and keeps
     * the checked bytes as the upload's file. Completing a ready upload again answers it as it is.
     */
    async complete(uploadId: string, now: string): Promise<UploadView> {
      const s = await load(uploadId);
      if (s.by !== username) throw new AppError('upload.forbidden', 403, 'Only who asked for the upload may complete it.');
      if (s.status === 'ready') return view(s);
      if (Date.parse(s.createdAt) + UPLOAD_WINDOW_SECONDS * 1000 < Date.parse(now))
        throw new AppError('upload.expired', 409, 'The time to send this file is over; start the upload again.');
      const keys = uploadObjectKeys(townId, uploadId);
      let bytes: Uint8Array;
      try {
        bytes = await blobStore().get(keys.incoming);
      } catch {
        throw new AppError('upload.not_uploaded', 409, 'No file has been sent to this upload yet.');
      }
      if (bytes.length > s.maxBytes) throw uploadTooLarge(s.maxBytes);
      if (!bytesMatchType(bytes, s.contentType))
        throw new AppError('upload.type_mismatch', 415, 'The file is not the kind of file it was said to be.');
      let clean: { bytes: Uint8Array; removed: boolean };
      try {
        clean = stripLocation(bytes, s.contentType);
      } catch (e) {
        if (isMalformedImage(e)) throw new AppError('upload.damaged', 422, 'The image is damaged and cannot be checked.');
        throw e;
      }
      await blobStore().put(keys.file, clean.bytes);
      const set = {
        status: 'ready',
        size: clean.bytes.length,
        completedAt: now,
        ...(s.contentType.startsWith('image/') ? { locationStripped: clean.removed } : {}),
      };
      await commitChange({
        writes: [{ kind: 'update', key: k.upload(uploadId), set, version: s.version, unset: [TABLE.timeToLiveAttribute] }],
        audit: [
          auditEntry(k.audit, {
            actor: username,
            action: 'upload.complete',
            target: uploadId,
            at: now,
            details: { purpose: s.purpose, contentType: s.contentType, size: clean.bytes.length },
          }),
        ],
      });
      return view({ ...s, ...set, status: 'ready' });
    },

    /** A short-lived link to a ready upload, for whoever may read it. */
    async link(uploadId: string, now: string): Promise<UploadLink> {
      const s = await load(uploadId);
      if (!mayReadUpload(principal, s, await attachedMatter(s))) throw new AppError('upload.forbidden', 403, 'You may not see this file.');
      if (s.status !== 'ready') throw new AppError('upload.not_complete', 409, 'The upload is not complete yet.');
      const at = Date.parse(now);
      const url = await uploadSigner().link({
        key: uploadObjectKeys(townId, uploadId).file,
        fileName: s.fileName,
        contentType: s.contentType,
        seconds: UPLOAD_LINK_SECONDS,
        now: new Date(at),
      });
      return { url, expiresAt: new Date(at + UPLOAD_LINK_SECONDS * 1000).toISOString() };
    },

    /** A ready upload of this purpose, with where its checked bytes are: what an import reads. */
    async readyFile(uploadId: string, purpose: UploadPurpose): Promise<{ fileName: string; key: string; bytes: Uint8Array }> {
      const s = await load(uploadId);
      if (s.purpose !== purpose || !mayReadUpload(principal, s)) throw notFound();
      if (s.status !== 'ready') throw new AppError('upload.not_complete', 409, 'The upload is not complete yet.');
      const key = uploadObjectKeys(townId, uploadId).file;
      return { fileName: s.fileName, key, bytes: await blobStore().get(key) };
    },
  };
}
