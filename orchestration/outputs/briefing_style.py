"""The briefing's stylesheet: on screen, charts two to a row; printed, A4 portrait with no
navigation, the breakdown charts left to the screen, and no chart, table row or heading split
from what follows it."""

CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Arial,sans-serif;color:#0b0c0c;
 max-width:1100px;margin:0 auto;padding:0 20px 40px}
h1{font-size:28px;margin:24px 0 4px}
h2{border-top:4px solid #1d4f91;padding-top:10px;margin-top:36px}
h3{margin:18px 0 6px;font-size:16px}.stamp{color:#505a5f}.note{color:#505a5f;font-size:13px}
table{border-collapse:collapse;width:100%;margin:8px 0 16px;font-size:13.5px}
th,td{border-bottom:1px solid #d8dde0;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f3f2f1}td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.group th{background:#e8eef7;font-size:14px}.lights{font-weight:400;font-size:13px}
table.periods td{font-size:12.5px}
table.periods small{color:#505a5f;white-space:nowrap}
.below{color:#d4351c;font-weight:600}.above{color:#1d4f91;font-weight:600}
.caveat{color:#8a4b00;font-size:12.5px}.caveat a,a.caveat{color:#8a4b00;white-space:nowrap}
.high{color:#00703c}.medium{color:#8a4b00}.low{color:#6f777b}
.glance{background:#f3f2f1;padding:4px 18px 10px;margin-top:18px}
.glance h2{border:0;margin-top:8px}.glance dl{display:grid;grid-template-columns:11em 1fr;
 gap:4px 12px;margin:0}.glance dt{font-weight:600}.glance dd{margin:0}
.glance ul{margin:0;padding-left:18px}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(470px,1fr));gap:4px 28px}
figure.chart{margin:0 0 6px}svg.chart{width:100%;height:auto;background:#fff}
svg .period{fill:#f0c8b0;opacity:.7}svg .period.recovery{fill:#e9e4dc}
svg .band{fill:#c8d7ec;opacity:.8}svg .series{fill:none;stroke-width:1.8}
svg .series circle{fill:currentColor;stroke-width:1}svg .axis line{stroke:#b1b4b6}
svg .expected{fill:none;stroke:#505a5f;stroke-width:1.2;stroke-dasharray:4 3}
svg .axis .grid{stroke:#eceeef}svg text{font-size:12px;fill:#505a5f}svg .unit{fill:#0b0c0c}
svg .caveat-mark{fill:#f47738}
.legend span{display:inline-block;margin-right:12px;font-size:12px;line-height:1.6}
.legend i{display:inline-block;width:14px;height:9px;margin-right:5px;vertical-align:middle}
.legend i.line{height:3px}.legend i.band{background:#c8d7ec}
.legend i.expected{height:0;border-top:2px dashed #505a5f}
.legend i.period{background:#f0c8b0}.legend i.period.recovery{background:#e9e4dc}
.legend i.caveat-mark{width:0;height:0;border:5px solid transparent;border-top:0;
 border-bottom:8px solid #f47738}
details{margin:2px 0 8px}summary{cursor:pointer;color:#1d4f91;font-size:13.5px}
nav a{margin-right:14px}
@page{size:A4 portrait;margin:12mm 11mm}
@media print{
 body{font-size:9.5pt;max-width:none;padding:0}
 nav,details{display:none}
 h1{font-size:17pt;margin-top:0}h2{font-size:13pt;margin-top:14pt;break-after:avoid}
 h3{font-size:10pt;margin:6pt 0 2pt;break-after:avoid}
 .glance{break-after:page}
 .charts{grid-template-columns:1fr 1fr;gap:0 8mm}
 section.indicator,figure.chart,tr,.glance dl{break-inside:avoid}
 thead{display:table-header-group}
 table{font-size:8.5pt}table.periods td{font-size:8pt}.legend span{font-size:7.5pt}
 a{color:inherit;text-decoration:none}
 *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
"""
