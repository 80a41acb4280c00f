// Warnings from the editor (upload errors, refused files, dropped images) shown in Chinese under
// the editor instead of the browser's alert() with CKEditor's English fallback texts.
import { Plugin, Notification } from 'ckeditor5';

function translate(message) {
    const text = String(message || '');
    const failed = text.match(/^Couldn't upload file: (.*)\.$/);
    if (failed) {
        return `未能上传“${failed[1]}”，请检查网络连接后重试。`;
    }
    return text || '操作未完成。';
}

export class EditorMessages extends Plugin {
    static get pluginName() {
        return 'EditorMessages';
    }

    static get requires() {
        return [Notification];
    }

    init() {
        const editor = this.editor;
        const notification = editor.plugins.get('Notification');
        this.listenTo(notification, 'show:warning', (evt, data) => {
            if (this._element) {
                this.show(data.message, data.title);
                evt.stop();
            } else {
                data.message = translate(data.message);
            }
        }, { priority: 'high' });

        const types = editor.config.get('image.upload.types') || ['jpeg', 'png'];
        const accepted = new RegExp(`^image/(${types.join('|')})$`);
        const label = types.filter(type => type !== 'jpg').map(type => type.toUpperCase()).join(' 或 ');
        const refuse = files => {
            for (const file of files) {
                if (!accepted.test(file.type)) {
                    notification.showWarning(`“${file.name}”不是 ${label} 图片，未插入。`,
                        { title: '文件类型不符', namespace: 'upload' });
                }
            }
        };
        // The image button's file dialog: CKEditor silently ignores a file of another type.
        editor.ui.on('ready', () => {
            editor.ui.view.element.addEventListener('change', event => {
                const input = event.target;
                if (input instanceof HTMLInputElement && input.type === 'file' && input.files) {
                    refuse(Array.from(input.files));
                }
            }, true);
        });
        // Files dropped or pasted on their own (not as part of copied text).
        this.listenTo(editor.editing.view.document, 'clipboardInput', (evt, data) => {
            const transfer = data.dataTransfer;
            if (!transfer.getData('text/html') && transfer.files && transfer.files.length) {
                refuse(Array.from(transfer.files));
            }
        }, { priority: 'high' });
    }

    /** The element messages appear in; without it warnings fall back to alert(). */
    get element() {
        if (!this._element) {
            this._element = document.createElement('div');
            this._element.className = 'bulletin-editor-messages';
            this._element.setAttribute('role', 'alert');
        }
        return this._element;
    }

    show(message, title) {
        const item = document.createElement('div');
        item.className = 'bulletin-editor-message';
        item.textContent = title ? `${title}：${translate(message)}` : translate(message);
        const close = document.createElement('button');
        close.type = 'button';
        close.className = 'bulletin-editor-message-close';
        close.textContent = '×';
        close.title = '关闭';
        close.setAttribute('aria-label', '关闭提示');
        close.addEventListener('click', () => item.remove());
        item.appendChild(close);
        this.element.appendChild(item);
    }
}
