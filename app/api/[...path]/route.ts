import { NotFound } from '@/lib/errors';
import { methods } from '@/lib/http/route';

// Unknown API paths answer 404 in the error shape, whatever the method.
const notFound = async () => {
  throw new NotFound('API route');
};

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  GET: notFound,
  HEAD: notFound,
  POST: notFound,
  PUT: notFound,
  PATCH: notFound,
  DELETE: notFound,
  OPTIONS: notFound,
});
