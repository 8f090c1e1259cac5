import { stringify } from 'csv-stringify/sync';
import { csvResponse, methods } from '@/lib/http/route';
import { templateRows } from '@/lib/testimonies/csv';

// The import's columns and one example row: documentation, no data of anyone, so no sign-in needed.
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  GET: async () => csvResponse(stringify(templateRows(), { record_delimiter: '\r\n' }), 'testimonies-template.csv'),
});
