'use server';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { field, formAction } from '@/app/_lib/form-action';
import { createClaim, createQuestion } from '@/lib/claims';
import { BadInput } from '@/lib/errors';
import { getT } from '@/lib/i18n';
import { captureSource, updateSource } from '@/lib/sources';
import { textOfUpload, UPLOAD_EXTENSIONS } from '@/lib/sources/domain/html';
import { linkSource } from '@/lib/sources/links';

const meta = (form: FormData) => ({
  title: field(form, 'title'),
  publisher: field(form, 'publisher'),
  address: field(form, 'address'),
  language: field(form, 'language'),
  publishedOn: field(form, 'publishedOn'),
  reliability: field(form, 'reliability') as never,
  credibility: field(form, 'credibility') as never,
  visibility: field(form, 'visibility') as never,
});

export const captureSourceAction = formAction(async (actor, form) => {
  const file = form.get('file');
  let text = field(form, 'text') ?? '';
  if (file instanceof File && file.size > 0) {
    if (!UPLOAD_EXTENSIONS.test(file.name)) throw new BadInput((await getT())('sources.fileUnsupported'), [{ path: 'file', message: file.name }]);
    text = textOfUpload(file.name, await file.text());
  }
  const result = await captureSource(actor, { ...meta(form), text });
  redirect(`/sources/${result.id}?${result.duplicate ? 'duplicate' : 'captured'}=1`);
});

export const updateSourceAction = formAction(async (actor, form) => {
  const id = field(form, 'id') ?? '';
  await updateSource(actor, id, meta(form));
  revalidatePath(`/sources/${id}`);
  return { ok: true, message: (await getT())('admin.done') };
});

const optionalNumber = (v: string | undefined) => (v && v.trim() !== '' ? v.trim().replace(/[\s,]/g, '') : undefined);

export const createClaimAction = formAction(async (actor, form) => {
  const sourceId = field(form, 'sourceId') ?? '';
  const newKey = field(form, 'newQuestionKey')?.trim();
  const made = await createClaim(actor, {
    question: newKey || field(form, 'question') || '',
    questionTitle: field(form, 'newQuestionTitle')?.trim() || undefined,
    sourceId,
    valueKind: (field(form, 'valueKind') ?? 'number') as never,
    value: optionalNumber(field(form, 'value')) as never,
    valueHigh: optionalNumber(field(form, 'valueHigh')) as never,
    valueText: field(form, 'valueText')?.trim() || undefined,
    unit: field(form, 'unit')?.trim() || undefined,
    period: field(form, 'period')?.trim() || undefined,
    excerpt: field(form, 'excerpt') ?? '',
    excerptStart: optionalNumber(field(form, 'excerptStart')) as never,
    excerptEnd: optionalNumber(field(form, 'excerptEnd')) as never,
  });
  revalidatePath(`/sources/${sourceId}`);
  return { ok: true, message: `${(await getT())('claims.saved')} (${made.question})` };
});

export const createQuestionAction = formAction(async (actor, form) => {
  await createQuestion(actor, { key: field(form, 'key') ?? '', title: field(form, 'title') ?? '' });
  revalidatePath('/claims');
  return { ok: true, message: (await getT())('admin.done') };
});

export const linkSourceAction = formAction(async (actor, form) => {
  const testimonyId = field(form, 'testimonyId') ?? '';
  await linkSource(actor, testimonyId, { sourceId: field(form, 'sourceId') ?? '', relation: field(form, 'relation') as never, note: field(form, 'note') || undefined });
  revalidatePath(`/testimonies/${testimonyId}`);
  return { ok: true, message: (await getT())('admin.done') };
});
