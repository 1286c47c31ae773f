import { INSPECTOR_BODY } from './markup.js';
import { INSPECTOR_CORE } from './script.js';
import { INSPECTOR_DETAIL } from './script-detail.js';
import { INSPECTOR_CSS } from './styles.js';

/**
 * The inspector page of `GET /_mock/ui`: one self-contained HTML document (about 28 kB) that talks to
 * the control API of the server that served it. Kept as strings in modules rather than files on disk
 * so the bundled CLI serves it without locating assets; only the standalone server imports it, so
 * the MSW handlers and the browser entry do not carry it.
 */
export const INSPECTOR_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ledgerline inspector</title>
<style>${INSPECTOR_CSS}</style>
</head>
<body>
${INSPECTOR_BODY}
<script>${INSPECTOR_CORE}${INSPECTOR_DETAIL}</script>
</body>
</html>
`;
