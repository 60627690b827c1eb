// Server-rendered pages (EJS). Templates escape with <%= %>; the only raw
// output is library-generated markup passed explicitly (see views/logout.ejs).
import { join } from 'node:path';
import ejs from 'ejs';

export type Render = (view: string, locals: Record<string, unknown>) => Promise<string>;

export function createRenderer(viewsDir: string, cache: boolean): Render {
  return (view, locals) =>
    ejs.renderFile(join(viewsDir, `${view}.ejs`), locals, { cache, root: viewsDir, async: false });
}
