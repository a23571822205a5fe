// npm start — build if needed, bring up the database (embedded unless DATABASE_URL), serve on PORT.
import { launch } from '../lib/server/launcher';

await launch('start');
