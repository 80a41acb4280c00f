// The article editor: CKEditor 5 from the npm registry's `ckeditor5` package with the plugins the
// bulletin needs, in Chinese, started on the textareas django-ckeditor-5's widget renders.
// The start-up code follows django-ckeditor-5's app.js (BSD-3-Clause) so the widget, its
// configuration (settings.CKEDITOR_5_CONFIGS) and its upload view keep working unchanged.
import {
    ClassicEditor, Essentials, Paragraph, Heading, Bold, List, BlockQuote,
    Table, TableToolbar, Image, ImageCaption, ImageToolbar, ImageTextAlternative, ImageUpload,
    SimpleUploadAdapter, PasteFromOffice,
} from 'ckeditor5';
import zhCn from 'ckeditor5/translations/zh-cn.js';
import 'ckeditor5/ckeditor5.css';

import { HanCharacterCount } from './hancount.js';
import { EditorMessages } from './messages.js';
import { PasteCleanup } from './pastecleanup.js';
import './editor.css';

class BulletinEditor extends ClassicEditor {}

BulletinEditor.builtinPlugins = [
    Essentials, Paragraph, Heading, Bold, List, BlockQuote, Table, TableToolbar,
    Image, ImageCaption, ImageToolbar, ImageTextAlternative, ImageUpload, SimpleUploadAdapter,
    PasteFromOffice, HanCharacterCount, EditorMessages, PasteCleanup,
];

const editors = {};
const callbacks = {};
window.ClassicEditor = BulletinEditor;
window.editors = editors;
window.ckeditorRegisterCallback = (id, callback) => { callbacks[id] = callback; };
window.ckeditorUnregisterCallback = id => { callbacks[id] = null; };

function getCookie(name) {
    for (const cookie of (document.cookie || '').split(';')) {
        const trimmed = cookie.trim();
        if (trimmed.startsWith(`${name}=`)) {
            return decodeURIComponent(trimmed.substring(name.length + 1));
        }
    }
    return null;
}

function csrfToken(cookieName) {
    return getCookie(cookieName) || document.querySelector('input[name=csrfmiddlewaretoken]')?.value;
}

function createEditors(element = document.body) {
    const textareas = element.matches('.django_ckeditor_5')
        ? [element] : [...element.querySelectorAll('.django_ckeditor_5')];
    for (const textarea of textareas) {
        if (textarea.id.includes('__prefix__') || textarea.getAttribute('data-processed') === '1') {
            continue;
        }
        const scriptId = `${textarea.id}_script`;
        const settings = document.getElementById(`${scriptId}-ck-editor-5-upload-url`);
        const config = JSON.parse(document.getElementById(`${scriptId}-span`).textContent);
        const types = JSON.parse(settings.getAttribute('data-upload-file-types'));
        config.simpleUpload = {
            uploadUrl: settings.getAttribute('data-upload-url'),
            headers: { 'X-CSRFToken': csrfToken(settings.getAttribute('data-csrf_cookie_name')) },
        };
        config.image = { ...(config.image || {}), upload: { types } };
        config.language = 'zh-cn';
        config.translations = [zhCn];
        config.licenseKey = 'GPL';
        const label = document.querySelector(`[for$="${textarea.id}"]`);
        if (label) {
            label.style.float = 'none';
        }
        textarea.setAttribute('data-processed', '1');
        BulletinEditor.create(textarea, config).then(editor => {
            editor.model.document.on('change:data', () => {
                textarea.value = editor.getData();
            });
            const status = document.getElementById(`${scriptId}-word-count`);
            if (status) {
                status.replaceChildren(
                    editor.plugins.get('HanCharacterCount').element,
                    editor.plugins.get('EditorMessages').element,
                );
            }
            if (textarea.hasAttribute('disabled')) {
                editor.enableReadOnlyMode('django-ckeditor-5');
            }
            editors[textarea.id] = editor;
            if (callbacks[textarea.id]) {
                callbacks[textarea.id](editor);
            }
        }).catch(error => {
            console.error(error);
        });
    }
}

document.addEventListener('DOMContentLoaded', () => {
    createEditors();
    if (typeof django === 'object' && django.jQuery) {
        django.jQuery(document).on('formset:added', () => createEditors());
    }
    new MutationObserver(mutations => {
        for (const { addedNodes } of mutations) {
            for (const node of addedNodes) {
                if (node.nodeType === Node.ELEMENT_NODE) {
                    createEditors(node);
                }
            }
        }
    }).observe(document.body, { childList: true, subtree: true });
});
