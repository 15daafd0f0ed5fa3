/** Pixel dimensions of an image. */
export interface ImageSize {
  width: number;
  height: number;
}

/**
 * The most input tokens one image can cost when its size is unknown (an http URL): Anthropic caps an image
 * near 1,600 tokens (about 1.15 megapixels / 750), OpenAI's high detail at 1,445 (8 tiles of 512 px).
 */
export const MAX_IMAGE_TOKENS = 1600;

/** Bytes of a data URL decoded to find its header: a JPEG's size marker can follow ~64 KB of EXIF data. */
const HEADER_BYTES = 96 * 1024;

/** Input tokens an image costs at most, whichever of OpenAI's and Anthropic's rules applies. */
export function imageTokens(size: ImageSize | undefined): number {
  if (!size || size.width <= 0 || size.height <= 0) return MAX_IMAGE_TOKENS;
  return Math.min(MAX_IMAGE_TOKENS, Math.max(openaiHighDetailTokens(size), anthropicImageTokens(size)));
}

/** OpenAI high detail: fit in 2048², shortest side down to 768, then 170 per 512 px tile plus 85. */
function openaiHighDetailTokens({ width, height }: ImageSize): number {
  let scale = Math.min(1, 2048 / Math.max(width, height));
  scale *= Math.min(1, 768 / (Math.min(width, height) * scale));
  const tiles = Math.ceil((width * scale) / 512) * Math.ceil((height * scale) / 512);
  return 85 + 170 * tiles;
}

/** Anthropic: the long edge is brought down to 1568 px, then width × height / 750. */
function anthropicImageTokens({ width, height }: ImageSize): number {
  const scale = Math.min(1, 1568 / Math.max(width, height));
  return Math.ceil((width * scale * height * scale) / 750);
}

/** The size of a base64 `data:` URL image (PNG, JPEG, GIF, WebP) read from its header; undefined when unknown. */
export function dataUrlImageSize(url: string): ImageSize | undefined {
  const comma = url.indexOf(',');
  if (!url.startsWith('data:') || comma < 0 || !url.slice(0, comma).endsWith(';base64')) return undefined;
  const bytes = Buffer.from(url.slice(comma + 1, comma + 1 + Math.ceil((HEADER_BYTES * 4) / 3)), 'base64');
  return imageSize(bytes);
}

/** The size in an image file's header. */
export function imageSize(b: Buffer): ImageSize | undefined {
  if (b.length >= 24 && b.readUInt32BE(0) === 0x89504e47) return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  if (b.length >= 10 && b.toString('latin1', 0, 4) === 'GIF8') return { width: b.readUInt16LE(6), height: b.readUInt16LE(8) };
  if (b.length >= 30 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return webpSize(b);
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) return jpegSize(b);
  return undefined;
}

function webpSize(b: Buffer): ImageSize | undefined {
  const chunk = b.toString('latin1', 12, 16);
  if (chunk === 'VP8 ') return { width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff };
  if (chunk === 'VP8L') {
    const bits = b.readUInt32LE(21);
    return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X') return { width: b.readUIntLE(24, 3) + 1, height: b.readUIntLE(27, 3) + 1 };
  return undefined;
}

function jpegSize(b: Buffer): ImageSize | undefined {
  let at = 2;
  while (at + 9 < b.length) {
    if (b[at] !== 0xff) return undefined;
    const marker = b[at + 1]!;
    // start-of-frame markers carry the size; C4 (huffman), C8 (reserved) and CC (arithmetic) do not
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: b.readUInt16BE(at + 5), width: b.readUInt16BE(at + 7) };
    }
    at += 2 + b.readUInt16BE(at + 2);
  }
  return undefined;
}
