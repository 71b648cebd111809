/** The report's inline stylesheet: light and dark schemes, readable from 800 px up. */
export const STYLE = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#59636e;--border:#d0d7de;--panel:#f6f8fa;
--pass:#1a7f37;--fail:#cf222e;--warn:#bc4c00;--int:#8250df;--grey:#6e7781;--link:#0969da;
--s0:#0969da;--s1:#9a6700;--s2:#bf3989;--base:#1f2328;--stack:#54aeff;--tests:#4ac26b;--teardown:#d4a72c;--other:#c8ced6;
--ins:#dafbe1;--del:#ffebe9;--hl:#fff8c5}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--border:#3d444d;--panel:#151b23;
--pass:#3fb950;--fail:#f85149;--warn:#db6d28;--int:#a371f7;--grey:#9198a1;--link:#4493f8;
--s0:#4493f8;--s1:#d29922;--s2:#db61a2;--base:#e6edf3;--stack:#1f6feb;--tests:#2ea043;--teardown:#bb8009;--other:#3d444d;
--ins:#12261e;--del:#2d1517;--hl:#3b2e00}}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;padding:1.5em 2em;max-width:1400px;color:var(--fg);background:var(--bg)}
a{color:var(--link)}
h1{font-size:1.5em;margin:.2em 0}h2{margin-top:1.6em;border-bottom:1px solid var(--border);padding-bottom:.2em}
nav{display:flex;flex-wrap:wrap;gap:.3em 1em;margin:.5em 0 1em}
:focus-visible{outline:2px solid var(--link);outline-offset:2px}
.wrap{overflow-x:auto}
table{border-collapse:collapse;margin:.4em 0}td,th{border:1px solid var(--border);padding:4px 8px;text-align:left;vertical-align:top}
th{background:var(--panel)}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.st{color:#fff;border-radius:4px;padding:1px 6px;font-size:12px;white-space:nowrap;background:var(--grey)}
.st-passed{background:var(--pass)}.st-failed,.st-error{background:var(--fail)}.st-timed_out{background:var(--warn)}
.st-interrupted{background:var(--int)}.st-skipped,.st-not_run{background:var(--grey)}
tr.miss td{color:var(--fail)}
pre{background:var(--panel);border:1px solid var(--border);border-radius:6px;padding:8px;overflow:auto;max-height:30em;white-space:pre-wrap;word-break:break-word;margin:.4em 0}
.summary{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:.6em;margin:0;border:1px solid var(--border);border-radius:8px;padding:.8em;background:var(--panel)}
.summary div{min-width:0}.summary dt{color:var(--muted);font-size:12px}.summary dd{margin:0;font-size:1.35em;font-weight:600;overflow-wrap:anywhere}
.summary .wide{grid-column:1/-1}.summary .wide dd{font-size:13px;font-weight:400}
.summary .ok{color:var(--pass)}.summary .bad{color:var(--fail)}
.cmd{display:flex;gap:.5em;align-items:flex-start}.cmd pre{flex:1;margin:0}
button{font:inherit;padding:4px 10px;border:1px solid var(--border);border-radius:6px;background:var(--bg);color:var(--fg);cursor:pointer}
button:hover{background:var(--panel)}
.timeline{border:1px solid var(--border);border-radius:8px;padding:.5em;background:var(--panel)}
.lane{display:flex;align-items:center;height:30px}.lane.axis{height:18px}
.lane-name{width:4.5em;flex:none;color:var(--muted);font-size:12px}
.track{position:relative;flex:1;height:100%}
.bar{position:absolute;top:3px;bottom:3px;border:2px solid var(--grey);border-radius:4px;text-decoration:none;min-width:3px;background:var(--bg)}
.segs{display:flex;width:100%;height:100%;overflow:hidden;border-radius:2px}
.bar.st-passed{border-color:var(--pass)}.bar.st-failed,.bar.st-error{border-color:var(--fail)}.bar.st-timed_out{border-color:var(--warn)}.bar.st-interrupted{border-color:var(--int)}
.seg{height:100%;flex:none}.seg.stack{background:var(--stack)}.seg.tests{background:var(--tests)}.seg.teardown{background:var(--teardown)}.seg.other{background:var(--other)}
.bar-label{position:absolute;left:50%;top:50%;transform:translate(-50%,-50%);font-size:11px;color:#000;background:rgba(255,255,255,.75);padding:0 3px;border-radius:3px;white-space:nowrap;pointer-events:none;z-index:1}
.tick{position:absolute;top:0;transform:translateX(-50%);font-size:11px;color:var(--muted)}
.legend{color:var(--muted);font-size:12px}.key{display:inline-block;width:12px;height:10px;margin-left:.6em;vertical-align:middle}
.key.stack{background:var(--stack)}.key.tests{background:var(--tests)}.key.teardown{background:var(--teardown)}.key.other{background:var(--other)}
.filters{display:flex;flex-wrap:wrap;gap:.5em 1em;align-items:end;margin:.4em 0}
.filters label{display:flex;flex-direction:column;font-size:12px;color:var(--muted)}
.filters select,.filters input{font:inherit;padding:3px 6px;border:1px solid var(--border);border-radius:6px;background:var(--bg);color:var(--fg);min-width:10em}
.filters input{min-width:18em}
#tests td.name{overflow-wrap:anywhere;min-width:18em}.file{font-size:12px;color:var(--muted);overflow-wrap:anywhere}#tests td:first-child{white-space:nowrap}
.tag{display:inline-block;border:1px solid var(--border);border-radius:10px;padding:0 6px;font-size:11px;margin:1px}
.failure{border:1px solid var(--fail);border-left-width:4px;border-radius:6px;padding:.2em 1em .6em;margin:1em 0}
.failure h3{margin:.5em 0;font-size:1.05em;overflow-wrap:anywhere}.failure .where{color:var(--muted);font-size:12px}
pre.msg{border-color:var(--fail)}
pre.diff .del{background:var(--del);display:block}pre.diff .ins{background:var(--ins);display:block}
pre.src{white-space:pre}pre.src .ln{color:var(--muted);user-select:none}pre.src .at{background:var(--hl);display:block}
pre.log{font-size:12px}
.charts{display:grid;align-items:start;grid-template-columns:repeat(auto-fit,minmax(min(100%,560px),1fr));gap:1em}
.chart{margin:0;border:1px solid var(--border);border-radius:8px;padding:.5em;background:var(--panel)}
.chart svg{width:100%;height:auto;display:block;font:11px system-ui,sans-serif}
.chart text{fill:var(--fg)}.chart .title{font-weight:600;font-size:12px}.chart .axis-label,.chart .val{fill:var(--muted)}.chart .val{paint-order:stroke;stroke:var(--panel);stroke-width:3px}
.chart .grid{stroke:var(--border);stroke-width:1}.chart .base{stroke:var(--base);stroke-width:2.5}
.chart .s0{fill:var(--s0)}.chart .s1{fill:var(--s1)}.chart .s2{fill:var(--s2)}.chart tspan.base{fill:var(--base)}
.flaky{color:var(--warn);font-weight:600}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
@media (prefers-color-scheme:dark){.st{color:#0d1117}}
@media (max-width:900px){body{padding:1em}.summary dd{font-size:1.15em}.lane-name{width:3.5em}}
`;

/** The report's only script: filters of the test table and the copy buttons. No network. */
export const SCRIPT = `
(function(){
  var table=document.getElementById('tests');
  if(table){
    var rows=[].slice.call(table.tBodies[0].rows);
    var f={suite:document.getElementById('f-suite'),status:document.getElementById('f-status'),marker:document.getElementById('f-marker'),name:document.getElementById('f-name')};
    var shown=document.getElementById('f-count');
    var apply=function(){
      var n=0,q=f.name.value.trim().toLowerCase();
      rows.forEach(function(r){
        var ok=(!f.suite.value||r.dataset.suite===f.suite.value)&&(!f.status.value||r.dataset.status===f.status.value)
          &&(!f.marker.value||(' '+r.dataset.markers+' ').indexOf(' '+f.marker.value+' ')>=0)&&(!q||r.dataset.name.indexOf(q)>=0);
        r.hidden=!ok;if(ok)n++;
      });
      shown.textContent=n+' of '+rows.length+' tests shown';
    };
    [f.suite,f.status,f.marker].forEach(function(e){e.addEventListener('change',apply)});
    f.name.addEventListener('input',apply);
    apply();
  }
  [].forEach.call(document.querySelectorAll('button[data-copy]'),function(b){
    b.addEventListener('click',function(){
      var pre=document.getElementById(b.dataset.copy),text=pre.textContent,say=document.getElementById(b.dataset.copy+'-said');
      var done=function(m){if(say)say.textContent=m};
      var fallback=function(){var s=getSelection(),r=document.createRange();r.selectNodeContents(pre);s.removeAllRanges();s.addRange(r);
        try{done(document.execCommand('copy')?'copied':'selected: press Ctrl+C')}catch(e){done('selected: press Ctrl+C')}};
      if(navigator.clipboard&&navigator.clipboard.writeText)navigator.clipboard.writeText(text).then(function(){done('copied')},fallback);else fallback();
    });
  });
})();
`;
