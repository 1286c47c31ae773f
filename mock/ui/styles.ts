/** The inspector's stylesheet: system fonts, high contrast, a visible focus ring, no framework. */
export const INSPECTOR_CSS = `
:root { color-scheme: light; --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --bg: #f6f8fa;
  --ok: #116329; --bad: #a40e26; --accent: #0550ae; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: #fff; }
header { display: flex; flex-wrap: wrap; gap: 12px 20px; align-items: end; padding: 12px 20px;
  background: var(--bg); border-bottom: 1px solid var(--line); }
header h1 { font-size: 18px; margin: 0 12px 4px 0; }
main { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(420px, 100%), 1fr)); gap: 16px; padding: 16px 20px; }
section { border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; min-width: 0; }
section.wide { grid-column: 1 / -1; }
h2 { font-size: 15px; margin: 0 0 8px; }
h3 { font-size: 13px; margin: 10px 0 4px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
.field { display: inline-flex; flex-direction: column; gap: 2px; }
label { font-size: 12px; color: var(--muted); }
input, select, button { font: inherit; color: var(--fg); }
input, select { padding: 4px 6px; border: 1px solid var(--line); border-radius: 4px; min-width: 0; }
button { padding: 5px 10px; border: 1px solid var(--accent); border-radius: 4px; background: #fff; color: var(--accent); cursor: pointer; }
button.danger { border-color: var(--bad); color: var(--bad); }
button:hover { background: #eef4fc; }
:focus-visible { outline: 3px solid #0969da; outline-offset: 2px; }
.row { display: flex; flex-wrap: wrap; gap: 8px; align-items: end; margin: 6px 0; }
.scroll { max-height: 320px; overflow: auto; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; color: var(--muted); font-weight: 600; position: sticky; top: 0; background: #fff; }
td.num { text-align: right; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; }
.ok { color: var(--ok); font-weight: 600; }
.bad { color: var(--bad); font-weight: 600; }
.muted { color: var(--muted); }
#status { padding: 0 20px; }
.message { display: flex; gap: 8px; align-items: center; justify-content: space-between; margin: 6px 0; padding: 4px 8px;
  background: #ddf4ff; border-radius: 4px; overflow-wrap: anywhere; }
.message.error { color: var(--bad); background: #ffebe9; }
.confirm { border: 1px solid var(--bad); border-radius: 4px; padding: 6px 10px; margin: 6px 0; background: #fff8f8; }
.pair { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(320px, 100%), 1fr)); gap: 12px; }
pre.code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; background: var(--bg); padding: 6px 8px; margin: 4px 0;
  white-space: pre-wrap; overflow-wrap: anywhere; max-height: 320px; overflow: auto; }
button.link { border: 0; padding: 0; background: none; text-decoration: underline; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
@media (max-width: 600px) { header, main { padding-left: 10px; padding-right: 10px; } #status { padding: 0 10px; } }
`;
