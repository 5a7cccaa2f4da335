// Copies the NHS.UK frontend icons the compiled CSS refers to into Askwell's static folder.
import { cpSync, mkdirSync } from "node:fs";

const source = "node_modules/nhsuk-frontend/dist/nhsuk/assets/images";
const target = "app/static/dist/nhsuk/images";
mkdirSync(target, { recursive: true });
cpSync(source, target, {
  recursive: true,
  filter: (path) => !/nhsuk-icon-(180|192|512)\.png$|favicon/.test(path),
});
