// Bundle src/index.js with esbuild into the static file the admin serves (see README).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const ckeditor = JSON.parse(readFileSync(join(here, 'node_modules/ckeditor5/package.json'), 'utf8'));
const outdir = join(here, '../editorial/static/editorial/ckeditor5');

await esbuild.build({
    entryPoints: { editor: join(here, 'src/index.js') },
    outdir,
    bundle: true,
    format: 'iife',
    target: ['chrome109', 'firefox115', 'safari16'],
    minify: true,
    legalComments: 'linked',
    charset: 'utf8',
    banner: {
        js: `/*! Bulletin article editor: CKEditor 5 ${ckeditor.version} (GPL-2.0-or-later), built by frontend/build.sh */`,
    },
    logLevel: 'info',
});
