// Heading levels from the numbering text; mirrors bulletins/headings.py (keep the two in step).
// 一、 -> level 1 (h2), （一） -> level 2 (h3), 1. / （1） -> level 3 (h4).

const H2 = /^[一二三四五六七八九十]{1,3}、/;
const H3 = /^[（(][一二三四五六七八九十]{1,3}[）)]/;
const H4 = /^(?:\d{1,2}[.．、](?!\d)|[（(]\d{1,2}[）)])/;
const HEADING_MAX = 60;
const SENTENCE_END = '。！？!?；;：:…';
const CLOSING = '”’」』）)】》';

function endsSentence(text) {
    if (!text) {
        return true;
    }
    const last = text[text.length - 1];
    if (SENTENCE_END.includes(last)) {
        return true;
    }
    return CLOSING.includes(last) && text.length > 1 && SENTENCE_END.includes(text[text.length - 2]);
}

export function headingLevel(text) {
    const plain = text.trim();
    const chars = Array.from(plain);
    if (!chars.length || chars.length > HEADING_MAX || /[。！？!?]/.test(chars.slice(0, -1).join(''))) {
        return 0;
    }
    if (H2.test(plain)) {
        return 1;
    }
    if (H3.test(plain)) {
        return 2;
    }
    if (H4.test(plain) && !endsSentence(plain)) {
        return 3;
    }
    return 0;
}

export const HEADING_ELEMENTS = { 1: 'h2', 2: 'h3', 3: 'h4' };
