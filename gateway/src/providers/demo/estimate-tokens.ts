import { sliceByTokens, splitByTokens } from 'tokenx';
import { countTextTokens } from '../../core/count-text-tokens.js';

/** Estimated tokens of generated text. */
export function countTokens(text: string): number {
  return countTextTokens(text);
}

/** The longest prefix of `text` that fits in `maxTokens` estimated tokens. */
export function truncateToTokens(text: string, maxTokens: number): string {
  if (maxTokens <= 0) return '';
  if (countTokens(text) <= maxTokens) return text;
  return sliceByTokens(text, 0, maxTokens);
}

/** Splits text into stream pieces of about `tokensPerPiece` tokens; joining them gives the text back. */
export function splitIntoPieces(text: string, tokensPerPiece: number): string[] {
  if (!text) return [];
  return splitByTokens(text, tokensPerPiece);
}
