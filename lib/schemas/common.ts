import { z } from 'zod';

export const Uuid = z.uuid({ message: 'must be a UUID' });
