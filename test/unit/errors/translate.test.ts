// The edge translators of src/errors/translate.ts: one DomainError, one wire
// format per edge (admin API problem JSON, OAuth error JSON, error page, CLI).
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DomainError, conflict, invalidParameter, notFound, parseInput, usageError } from '../../../src/errors/domain-error.js';
import { cliExit, errorHeaders, oauthBody, pageModel, plainReason, problemBody, toDomainError, UNEXPECTED } from '../../../src/errors/translate.js';

describe('toDomainError', () => {
  it('keeps a DomainError as it is', () => {
    const e = notFound('client');
    expect(toDomainError(e)).toBe(e);
  });

  it('takes status, code and description from oidc-provider-shaped errors', () => {
    const e = toDomainError({ status: 400, error: 'invalid_grant', error_description: 'grant request is invalid', message: 'invalid_grant' });
    expect([e.status, e.error, e.message]).toEqual([400, 'invalid_grant', 'grant request is invalid']);
  });

  it('maps a Koa HttpError (body parser) to invalid_request with its message', () => {
    const e = toDomainError(Object.assign(new Error('request entity too large'), { status: 413, expose: true }));
    expect([e.status, e.error, e.message]).toEqual([413, 'invalid_request', 'request entity too large']);
  });

  it('hides unexposed 4xx messages and every 5xx message', () => {
    expect(toDomainError({ status: 400, expose: false, message: 'internal detail' }).message).toBe(UNEXPECTED);
    const bug = toDomainError(new TypeError('cannot read x of undefined'));
    expect([bug.status, bug.error, bug.message]).toEqual([500, 'server_error', UNEXPECTED]);
    expect(toDomainError({ status: 200 }).status).toBe(500);
    expect(toDomainError(undefined).status).toBe(500);
  });
});

describe('edge formats', () => {
  const invalid = (() => {
    try {
      parseInput(z.object({ name: z.string() }).strict(), { name: 1, extra: true });
    } catch (err) {
      return err as DomainError;
    }
    throw new Error('parseInput accepted bad input');
  })();

  it('admin API: problem JSON with the offending fields', () => {
    expect(problemBody(invalid)).toMatchObject({ error: 'invalid_request', fields: expect.arrayContaining([expect.objectContaining({ field: 'name' }), expect.objectContaining({ field: 'extra' })]) });
    expect(problemBody(conflict('taken'))).toEqual({ error: 'conflict', error_description: 'taken' });
    expect(problemBody(new DomainError(500, 'server_error', 'stack detail'))).toEqual({ error: 'server_error', error_description: UNEXPECTED });
  });

  it('OAuth endpoints: error and error_description only (RFC 6749 §5.2)', () => {
    expect(oauthBody(invalidParameter('client_id', 'is bad'))).toEqual({ error: 'invalid_request', error_description: 'invalid input: client_id: is bad' });
    expect(oauthBody(new DomainError(503, 'temporarily_unavailable', 'retry later'))).toEqual({ error: 'temporarily_unavailable', error_description: 'retry later' });
    expect(oauthBody(new DomainError(500, 'server_error', 'secret detail')).error_description).toBe(UNEXPECTED);
  });

  it('browser pages: the error view locals', () => {
    expect(pageModel(notFound('page'), 'req-1')).toEqual({ title: 'Error', error: 'not_found', errorDescription: 'page not found', requestId: 'req-1', reason: 'not_found' });
  });

  it('browser pages: a plain-language reason per common code (views/error.ejs, locales error.reasons)', () => {
    const reason = (error: string, status = 400, description = '') => plainReason(error, status, description);
    expect(reason('invalid_client', 401)).toBe('invalid_client');
    expect(reason('invalid_redirect_uri')).toBe('invalid_redirect_uri');
    expect(reason('access_denied')).toBe('access_denied');
    expect(reason('login_required')).toBe('login_required');
    expect(reason('invalid_request', 400, 'interaction session not found')).toBe('expired');
    expect(reason('server_error', 500)).toBe('server_error');
    expect(reason('temporarily_unavailable', 503)).toBe('temporarily_unavailable');
    expect(reason('invalid_request')).toBe('invalid_request');
    expect(reason('something_else')).toBe('generic');
    // A ctx.throw(403, ..., { reason: 'csrf' }) keeps the reason it names.
    expect(pageModel(toDomainError(Object.assign(new Error('form expired'), { status: 403, expose: true, reason: 'csrf' })), null).reason).toBe('csrf');
  });

  it('headers: the challenge of an auth failure, Retry-After and no-store on 503', () => {
    expect(errorHeaders(new DomainError(401, 'invalid_token', 'x', [], 'Bearer realm="r"'), 5)).toEqual({ 'WWW-Authenticate': 'Bearer realm="r"' });
    expect(errorHeaders(new DomainError(503, 'temporarily_unavailable', 'x'), 5)).toEqual({ 'Retry-After': '5', 'Cache-Control': 'no-store' });
    expect(errorHeaders(conflict('x'), 5)).toEqual({});
  });

  it('CLI: usage errors exit 2 with the usage text, everything else 1 with one line', () => {
    expect(cliExit(usageError('unknown command: x'))).toEqual({ code: 2, message: 'unknown command: x', showUsage: true });
    expect(cliExit(conflict('a user with email a@b.c already exists'))).toEqual({ code: 1, message: 'a user with email a@b.c already exists', showUsage: false });
    expect(cliExit(new Error('  first line\nsecond line'))).toEqual({ code: 1, message: 'first line', showUsage: false });
  });
});
