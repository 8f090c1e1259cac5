import { z } from 'zod';
import { requireActor } from '@/lib/actor';
import { json, methods, readCsvBody, readQuery } from '@/lib/http/route';
import { importMaxBytes, importTestimoniesCsv } from '@/lib/testimonies/import';

const ImportQuery = z.object({ job: z.uuid().optional() });

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  POST: async (req) => {
    const actor = await requireActor(req, { expensive: true });
    const { job } = readQuery(req, ImportQuery);
    const body = readCsvBody(req, importMaxBytes());
    const result = await importTestimoniesCsv(actor, body, { jobId: job });
    return json({ imported: result.imported, subjects: result.subjectsCreated, job: result.jobId, sha256: result.fileSha256 }, { status: 201 });
  },
});
