// Checks that every peer computed the same answer as flow before its timings are worth anything.
// Group-bys: same keys, same counts, means within 1e-9 relative. Random means: the peers use other
// generators, so only a statistical check (|mean - 0.5| < 1e-3) is possible there.

const REL = 1e-9;

function parseJson(text) {
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    return { error: `output is not JSON: ${text.slice(0, 120)}` };
  }
}

function compareGroups(ref, got, scale = 1) {
  if (!Array.isArray(ref) || !Array.isArray(got)) return 'not an array of rows';
  const byKey = new Map(got.map((r) => [r.origin, r]));
  if (byKey.size !== ref.length) return `${byKey.size} groups, flow has ${ref.length}`;
  for (const r of ref) {
    const g = byKey.get(r.origin);
    if (!g) return `group ${r.origin} missing`;
    if (g.flights !== r.flights * scale) return `${r.origin}: count ${g.flights}, expected ${r.flights * scale}`;
    const rel = Math.abs(g.mean_delay - r.mean_delay) / Math.max(Math.abs(r.mean_delay), 1e-300);
    if (!(rel <= REL)) return `${r.origin}: mean ${g.mean_delay} vs flow ${r.mean_delay} (relative ${rel.toExponential(2)})`;
  }
  return null;
}

const digits = (text) => (text.match(/-?\d+/g) ?? []).join(',');

/** Returns one {tool, ok, note} per tool but the reference (the scenario's first tool). */
export function checkAnswers(scenario, outputs) {
  const present = scenario.tools.filter((t) => outputs.has(t.id));
  // A baseline twin (--baseline) must print exactly the bytes the new code prints, whatever the check.
  const twins = present.filter((t) => t.baseOf).map((t) => ({ tool: t.id, ...sameOutput(outputs.get(t.baseOf), outputs.get(t.id), t.baseOf) }));
  const [refTool, ...others] = present.filter((t) => !t.baseOf);
  if (!refTool) return twins;
  const refText = outputs.get(refTool.id).trim();
  if (scenario.check === 'random-mean') {
    return [...[refTool, ...others].map((t) => ({ tool: t.id, ...randomMean(outputs.get(t.id).trim()) })), ...twins];
  }
  return [...others.map((t) => ({ tool: t.id, ...checkOne(scenario, refText, outputs.get(t.id).trim()) })), ...twins];
}

function sameOutput(newText, text, newId) {
  if (newText === undefined) return { ok: false, note: `no output from ${newId} to compare with` };
  if (newText === text) return { ok: true, note: `same output as ${newId} (${text.length} bytes)` };
  return { ok: false, note: `output differs from ${newId}: ${text.slice(0, 60)} vs ${newText.slice(0, 60)}` };
}

function randomMean(text) {
  const x = Number(text.replace(/^\[|\]$/g, ''));
  const ok = Math.abs(x - 0.5) < 1e-3;
  return { ok, note: `mean ${x}${ok ? ' (within 1e-3 of 0.5; other generators, so no exact match expected)' : ': not near 0.5'}` };
}

function checkOne(scenario, refText, text) {
  switch (scenario.check) {
    case 'groupby':
    case 'scaled-groupby': {
      const a = parseJson(refText);
      const b = parseJson(text);
      if (a.error || b.error) return { ok: false, note: a.error ?? b.error };
      // flow-x4 is the reference of the memory scenario: the 1x counts are a quarter of it.
      const problem = scenario.check === 'scaled-groupby' ? compareGroups(b.value, a.value, 4) : compareGroups(a.value, b.value);
      if (problem) return { ok: false, note: problem };
      const same = JSON.stringify(a.value.map((r) => r.mean_delay)) === JSON.stringify(b.value.map((r) => r.mean_delay));
      return { ok: true, note: `${a.value.length} groups agree${same ? ', means identical to the last digit' : ''}` };
    }
    case 'random-mean':
      return randomMean(text);
    case 'exact-int': {
      const ok = digits(refText) === digits(text) && digits(text) !== '';
      return { ok, note: ok ? `sum ${digits(text)}` : `${digits(text)} vs flow ${digits(refText)}` };
    }
    case 'list': {
      const ok = digits(refText) === digits(text) && digits(text) !== '';
      return { ok, note: ok ? 'same list' : `${text.slice(0, 60)} vs flow ${refText.slice(0, 60)}` };
    }
    default:
      return { ok: false, note: `unknown check ${scenario.check}` };
  }
}
