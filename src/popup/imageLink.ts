/** Whether pasted text is an image's address worth offering for upload: a web image or a `data:` image, as people paste them. */
export function imageLink(text: string): string | null {
  const candidate = text.trim();
  if (!/^(https?:\/\/|data:image\/)/i.test(candidate) || /\s/.test(candidate)) return null;
  try {
    return new URL(candidate).href;
  } catch {
    return null;
  }
}
