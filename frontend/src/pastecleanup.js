// Pasted Word and WPS content: headings by their numbering text, and images that cannot come along
// dropped with a message. Fonts, colours and styles never reach the model (no plugin keeps them),
// and the server's allow-list (bulletins/sanitize.py) stays the gate for what is stored.
import { Plugin, ClipboardPipeline, ViewUpcastWriter, priorities } from 'ckeditor5';

import { headingLevel, HEADING_ELEMENTS } from './headings.js';

const BLOCKS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

function textOf(view, element) {
    let text = '';
    for (const { item } of view.createRangeIn(element)) {
        if (item.is('$textProxy')) {
            text += item.data;
        }
    }
    return text;
}

const SPACE = /^[\s\u3000\u00a0]+/;
const NUMBER = /^(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,2}[.．、]|[（(]\d{1,2}[）)])/;

// Remove the characters [start, end) of the block's text, whichever text nodes hold them.
function deleteText(writer, view, block, start, end) {
    const nodes = [];
    for (const { item } of view.createRangeIn(block)) {
        if (item.is('$textProxy') && !nodes.includes(item.textNode)) {
            nodes.push(item.textNode);
        }
    }
    let offset = 0;
    for (const node of nodes) {
        const data = node.data;
        const from = Math.max(start - offset, 0);
        const to = Math.min(end - offset, data.length);
        offset += data.length;
        if (from >= to) {
            continue;
        }
        const kept = data.slice(0, from) + data.slice(to);
        const parent = node.parent;
        const index = parent.getChildIndex(node);
        writer.remove(node);
        if (kept) {
            writer.insertChild(index, writer.createText(kept), parent);
        }
    }
}

// Spaces typed to indent (　　今年以来) or after a heading's number (一、　提高): the layout
// indents by itself and prints the number close to its heading.
function trimTypedSpaces(writer, view, block, isHeading) {
    const text = textOf(view, block);
    const leading = (text.match(SPACE) || [''])[0].length;
    if (isHeading) {
        const number = (text.slice(leading).match(NUMBER) || [''])[0].length;
        const after = (text.slice(leading + number).match(SPACE) || [''])[0].length;
        if (number && after) {
            deleteText(writer, view, block, leading + number, leading + number + after);
        }
    }
    if (leading) {
        deleteText(writer, view, block, 0, leading);
    }
}

function isInside(element, names) {
    for (let parent = element.parent; parent; parent = parent.parent) {
        if (parent.is('element') && names.includes(parent.name)) {
            return true;
        }
    }
    return false;
}

export class PasteCleanup extends Plugin {
    static get pluginName() {
        return 'PasteCleanup';
    }

    static get requires() {
        return [ClipboardPipeline];
    }

    init() {
        const editor = this.editor;
        // Before Paste from Office: headings numbered by Word's own numbering (一、 （一） 1. as
        // the list marker) keep their number as text instead of becoming a list printed 1. 2.
        this.listenTo(editor.plugins.get('ClipboardPipeline'), 'inputTransformation', (evt, data) => {
            const view = editor.editing.view;
            const writer = new ViewUpcastWriter(view.document);
            const items = Array.from(view.createRangeIn(data.content)).map(({ item }) => item);
            for (const block of items.filter(item => item.is('element') && BLOCKS.has(item.name))) {
                if (!block.hasStyle('mso-list') || block.getStyle('mso-list') === 'none') {
                    continue;
                }
                const marker = Array.from(view.createRangeIn(block)).map(({ item }) => item).find(
                    item => item.is('element', 'span') && item.getStyle('mso-list') === 'Ignore');
                const number = marker ? textOf(view, marker).replace(/[\s\u00a0]+/g, '') : '';
                if (!NUMBER.test(number) || number.replace(NUMBER, '') !== '') {
                    continue;
                }
                writer.replace(marker, writer.createText(number));
                writer.setStyle('mso-list', 'none', block);
                writer.removeStyle('margin-left', block);
                writer.removeStyle('text-indent', block);
                for (const name of Array.from(block.getClassNames())) {
                    writer.removeClass(name, block);
                }
            }
        }, { priority: 'highest' });
        const mediaUrl = editor.config.get('bulletins.mediaUrl') || '/media/';
        // After Paste from Office ("high") and the image upload feature ("normal") did their part,
        // before the clipboard pipeline converts the content to the model ("low").
        this.listenTo(editor.plugins.get('ClipboardPipeline'), 'inputTransformation', (evt, data) => {
            const view = editor.editing.view;
            const writer = new ViewUpcastWriter(view.document);
            const items = Array.from(view.createRangeIn(data.content)).map(({ item }) => item);
            const blocks = items.filter(item => item.is('element') && BLOCKS.has(item.name));
            const images = items.filter(item => item.is('element', 'img'));

            for (const block of blocks) {
                const inCell = isInside(block, ['td', 'th', 'li']);
                const level = inCell ? 0 : headingLevel(textOf(view, block));
                if (level) {
                    // A heading prints in its level's face; bold inside it would print in 黑体.
                    for (const { item } of Array.from(view.createRangeIn(block))) {
                        if (item.is('element') && ['b', 'strong'].includes(item.name) && item.parent) {
                            writer.unwrapElement(item);
                        } else if (item.is('element')) {
                            writer.removeStyle('font-weight', item);
                        }
                    }
                    trimTypedSpaces(writer, view, writer.rename(HEADING_ELEMENTS[level], block), true);
                } else if (HEADINGS.has(block.name)) {
                    trimTypedSpaces(writer, view, writer.rename('p', block), false);
                } else {
                    trimTypedSpaces(writer, view, block, false);
                }
            }

            let dropped = 0;
            for (const image of images) {
                const src = image.getAttribute('src') || '';
                const uploading = image.hasAttribute('uploadId');
                const local = src.startsWith(mediaUrl) && !src.includes('..');
                if (!uploading && !local) {
                    writer.remove(image);
                    dropped += 1;
                }
            }
            // Empty paragraphs (Word's spacing, or what held a dropped image) print as blank lines.
            for (const block of blocks) {
                if (block.parent && block.name === 'p' && !textOf(view, block).trim()
                        && !Array.from(view.createRangeIn(block)).some(({ item }) => item.is('element', 'img'))) {
                    writer.remove(block);
                }
            }
            if (dropped) {
                editor.plugins.get('Notification').showWarning(
                    `粘贴的内容中有 ${dropped} 张图片未能带入，已删除。` +
                    '请把图片另存为 JPEG 或 PNG 文件，再用“上传图片”按钮插入。',
                    { title: '图片未粘贴', namespace: 'paste' }
                );
            }
        }, { priority: priorities.low + 10 });
    }
}
