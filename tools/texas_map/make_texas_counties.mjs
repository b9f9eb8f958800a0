// Convert the Texas counties of the npm package us-atlas (Census cartographic boundary files,
// 1:10,000,000, as TopoJSON) into the compact SVG paths file the outcomes map draws server-side.
//
// Run once, from an empty directory (see tools/texas_map/README.md):
//   npm install us-atlas@3.0.1 topojson-client@3 topojson-simplify@3 d3-geo@3
//   cp /path/to/tools/texas_map/make_texas_counties.mjs . && node make_texas_counties.mjs > texas_counties.json
// (ESM resolves packages next to the script, so it runs from the npm directory), then copy
// texas_counties.json to threadline/outcomes/data/.
//
// Shapes are never drawn by hand: they come from us-atlas, lightly simplified (topojson-simplify,
// planar-area weight), projected with d3-geo's conic equal-area projection fitted to the state.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as topojson from "topojson-client";
import { presimplify, simplify } from "topojson-simplify";
import { geoConicEqualArea, geoPath } from "d3-geo";

const require = createRequire(import.meta.url);
const atlasPath = require.resolve("us-atlas/counties-10m.json");
const atlasVersion = JSON.parse(readFileSync(require.resolve("us-atlas/package.json"), "utf8")).version;
let topo = JSON.parse(readFileSync(atlasPath, "utf8"));
topo = simplify(presimplify(topo), 1e-7);  // minimum weight in steradians: keeps every county legible

const TEXAS_FIPS = "48";
const counties = topojson.feature(topo, topo.objects.counties).features
  .filter((f) => String(f.id).startsWith(TEXAS_FIPS));
const state = topojson.feature(topo, topo.objects.states).features.find((f) => String(f.id) === TEXAS_FIPS);

const WIDTH = 600, HEIGHT = 560;
const projection = geoConicEqualArea().parallels([27.5, 35]).rotate([100, 0])
  .fitSize([WIDTH, HEIGHT], state);
const path = geoPath(projection).digits(1);

const out = {
  source: `us-atlas ${atlasVersion} counties-10m.json (US Census Bureau cartographic boundaries), ISC licence`,
  viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
  state: path(state),
  counties: counties
    .map((f) => ({ fips: String(f.id), name: f.properties.name, d: path(f),
                   c: path.centroid(f).map((v) => Math.round(v)) }))
    .sort((a, b) => a.name.localeCompare(b.name)),
};
process.stdout.write(JSON.stringify(out) + "\n");
