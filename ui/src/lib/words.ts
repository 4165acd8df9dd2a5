// Where the reader pointed, as text the core can look up: the plain text of a reader cell
// (readings in <rt> left out), the UTF-16 position of a point in it, and a DOM range back
// from a [start, end) span of that text (to highlight the word and place the pop-up by it).

interface Piece {
  node: Text;
  start: number;
}

/** The cell's text without its readings, and where each text node starts in it. */
export function cellText(cell: Element): { text: string; pieces: Piece[] } {
  const pieces: Piece[] = [];
  let text = '';
  const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => (n.parentElement?.closest('rt') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    pieces.push({ node: n as Text, start: text.length });
    text += (n as Text).data;
  }
  return { text, pieces };
}

/** The text position of a caret (node, offset) in a cell, or null (a reading, outside). */
export function offsetOf(pieces: Piece[], node: Node, offset: number): number | null {
  const p = pieces.find((q) => q.node === node);
  return p ? p.start + offset : null;
}

/** A caret at a point of the page (both the standard and the WebKit spelling). */
export function caretAt(x: number, y: number): { node: Node; offset: number } | null {
  const doc = document as Document & {
    caretPositionFromPoint?: (x: number, y: number) => { offsetNode: Node; offset: number } | null;
    caretRangeFromPoint?: (x: number, y: number) => Range | null;
  };
  if (doc.caretPositionFromPoint) {
    const p = doc.caretPositionFromPoint(x, y);
    return p ? { node: p.offsetNode, offset: p.offset } : null;
  }
  const r = doc.caretRangeFromPoint?.(x, y);
  return r ? { node: r.startContainer, offset: r.startOffset } : null;
}

/** A DOM range over [start, end) of the cell's text. */
export function rangeOf(pieces: Piece[], start: number, end: number): Range | null {
  const at = (pos: number, closing: boolean) => {
    for (const p of pieces) {
      const len = p.node.data.length;
      if (pos < p.start + len || (closing && pos === p.start + len)) return { node: p.node, offset: pos - p.start };
    }
    return null;
  };
  const a = at(start, false);
  const b = at(end, true);
  if (!a || !b) return null;
  const range = document.createRange();
  range.setStart(a.node, a.offset);
  range.setEnd(b.node, b.offset);
  return range;
}

const STOPS = /[。！？!?；;\n]/;

/** The sentence of `text` holding [start, end), trimmed (kept with a saved word). */
export function sentenceAround(text: string, start: number, end: number): string {
  let a = start;
  while (a > 0 && !STOPS.test(text[a - 1])) a--;
  let b = end;
  while (b < text.length && !STOPS.test(text[b])) b++;
  if (b < text.length) b++;
  return text.slice(a, b).trim();
}

/** Whether a string holds a Han character (worth a dictionary look-up). */
export function hasHan(s: string): boolean {
  return /\p{Script=Han}/u.test(s);
}
