// 字数: the number of Chinese characters (汉字) in the editor, counted like bulletins/text.py.
import { Plugin } from 'ckeditor5';

// CJK Unified Ideographs, Extension A, compatibility ideographs and the supplementary planes.
const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}]/gu;

export function countHan(text) {
    return (text.match(HAN) || []).length;
}

export class HanCharacterCount extends Plugin {
    static get pluginName() {
        return 'HanCharacterCount';
    }

    init() {
        const editor = this.editor;
        this.set('count', 0);
        this._timer = null;
        this.listenTo(editor.model.document, 'change:data', () => {
            clearTimeout(this._timer);
            this._timer = setTimeout(() => this._update(), 150);
        });
        editor.on('ready', () => this._update());
    }

    destroy() {
        clearTimeout(this._timer);
        super.destroy();
    }

    /** The element showing 字数：N, updated while typing. */
    get element() {
        if (!this._element) {
            const element = document.createElement('div');
            element.className = 'bulletin-han-count';
            element.setAttribute('aria-live', 'polite');
            const show = () => {
                element.textContent = `字数：${this.count}`;
            };
            show();
            this.on('change:count', show);
            this._element = element;
        }
        return this._element;
    }

    _update() {
        const model = this.editor.model;
        let count = 0;
        for (const root of model.document.getRoots()) {
            for (const item of model.createRangeIn(root).getItems()) {
                if (item.is('$textProxy')) {
                    count += countHan(item.data);
                }
            }
        }
        this.count = count;
    }
}
