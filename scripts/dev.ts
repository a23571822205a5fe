// npm run dev — like npm start, with `next dev` (hot reload) instead of a production build.
import { launch } from '../lib/server/launcher';

await launch('dev');
