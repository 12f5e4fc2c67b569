import { randomBytes } from 'node:crypto';
import {
  parseFormEncoded,
  rerouteFetch,
  startFakeOAuth1Server,
  TRELLO_OAUTH1,
  trelloRoutes,
  type FakeOAuth1Reply,
  type FakeOAuth1Request,
  type FakeOAuth1Server,
} from '@plugboard/testkit';

// A fake of Trello's API and OAuth 1.0a endpoints, built on the test kit's OAuth 1.0a server, which
// verifies every signature from RFC 5849 on its own. Where Trello answers errors as text/plain
// ("invalid key", "invalid token", "invalid id"), so does this fake.

const hex24 = () => randomBytes(12).toString('hex');
const ID = /^[0-9a-f]{24}$/;
const SHORT_LINK = /^[0-9A-Za-z]{8}$/;

export interface FakeCard {
  id: string;
  shortLink: string;
  name: string;
  desc: string;
  idList: string;
  idBoard: string;
  closed: boolean;
  pos: number;
  due: string | null;
  start: string | null;
  dueComplete: boolean;
  idMembers: string[];
  idLabels: string[];
}

export interface FakeTrelloState {
  member: { id: string; username: string; fullName: string };
  boards: Array<{
    id: string;
    shortLink: string;
    name: string;
    desc: string;
    closed: boolean;
    starred: boolean;
    url: string;
  }>;
  lists: Array<{ id: string; idBoard: string; name: string; closed: boolean; pos: number }>;
  cards: FakeCard[];
  comments: Array<{ id: string; idCard: string; text: string; idMemberCreator: string }>;
}

export interface FakeTrello {
  /** The OAuth 1.0a server that answers everything (API and token endpoints). */
  server: FakeOAuth1Server;
  /** The API key (Trello's OAuth consumer key) and its OAuth secret. */
  apiKey: string;
  apiSecret: string;
  /** A token for the API_KEY scheme, as the Token link of the API key page gives. */
  token: string;
  state: FakeTrelloState;
  /** Requests to api.trello.com and trello.com go to the fake; anything else fails. */
  routes: Record<string, string>;
  reroute(): ReturnType<typeof rerouteFetch>;
  close(): Promise<void>;
}

const text = (status: number, body: string): FakeOAuth1Reply => ({ status, text: body });
const notFound = () => text(404, 'The requested resource was not found.');

/** Query and body parameters merged, as Trello reads them from either. */
function parametersOf(request: FakeOAuth1Request): Map<string, string> {
  const parameters = new Map<string, string>();
  const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
  for (const [name, value] of parseFormEncoded(query)) parameters.set(name, value);
  const type = request.headers['content-type'] ?? '';
  if (/x-www-form-urlencoded/i.test(type))
    for (const [name, value] of parseFormEncoded(request.body)) parameters.set(name, value);
  if (/json/i.test(type) && request.body)
    for (const [name, value] of Object.entries(JSON.parse(request.body) as Record<string, unknown>))
      parameters.set(name, String(value));
  return parameters;
}

function pick<T extends { id: string }>(record: T, fields: string | undefined): Partial<T> {
  if (fields === undefined || fields === 'all') return record;
  const picked: Record<string, unknown> = { id: record.id };
  for (const field of fields.split(',')) if (field in record) picked[field] = record[field as keyof T];
  return picked as Partial<T>;
}

export async function startFakeTrello(): Promise<FakeTrello> {
  const apiKey = randomBytes(16).toString('hex');
  const apiSecret = randomBytes(32).toString('hex');
  const token = `ATTA${randomBytes(32).toString('hex')}`;
  const member = { id: hex24(), username: 'jane', fullName: 'Jane Doe' };
  const board = {
    id: hex24(),
    shortLink: 'aBcD1234',
    name: 'Roadmap',
    desc: 'What we ship',
    closed: false,
    starred: true,
    url: 'https://trello.com/b/aBcD1234/roadmap',
  };
  const archived = {
    id: hex24(),
    shortLink: 'zZzZ9999',
    name: 'Old',
    desc: '',
    closed: true,
    starred: false,
    url: 'https://trello.com/b/zZzZ9999/old',
  };
  const todo = { id: hex24(), idBoard: board.id, name: 'To do', closed: false, pos: 16384 };
  const done = { id: hex24(), idBoard: board.id, name: 'Done', closed: false, pos: 32768 };
  const state: FakeTrelloState = {
    member,
    boards: [board, archived],
    lists: [todo, done],
    cards: [
      {
        id: hex24(),
        shortLink: 'cArD0001',
        name: 'Write the README',
        desc: '',
        idList: todo.id,
        idBoard: board.id,
        closed: false,
        pos: 16384,
        due: null,
        start: null,
        dueComplete: false,
        idMembers: [],
        idLabels: [],
      },
      {
        id: hex24(),
        shortLink: 'cArD0002',
        name: 'Ship it',
        desc: '',
        idList: done.id,
        idBoard: board.id,
        closed: false,
        pos: 16384,
        due: null,
        start: null,
        dueComplete: true,
        idMembers: [member.id],
        idLabels: [],
      },
    ],
    comments: [],
  };

  const findBoard = (id: string) => state.boards.find((candidate) => candidate.id === id || candidate.shortLink === id);
  const findCard = (id: string) => state.cards.find((candidate) => candidate.id === id || candidate.shortLink === id);
  const validBoardOrCard = (id: string) => ID.test(id) || SHORT_LINK.test(id);

  const applyCardFields = (card: FakeCard, parameters: Map<string, string>): FakeOAuth1Reply | undefined => {
    for (const [name, value] of parameters) {
      if (name === 'name' || name === 'desc') card[name] = value;
      else if (name === 'closed' || name === 'dueComplete') card[name] = value === 'true';
      else if (name === 'due' || name === 'start') {
        if (value !== 'null' && value !== '' && Number.isNaN(Date.parse(value)))
          return text(400, `invalid value for ${name}`);
        card[name] = value === 'null' || value === '' ? null : new Date(value).toISOString();
      } else if (name === 'pos') card.pos = value === 'top' ? 0 : value === 'bottom' ? 1e9 : Number(value);
      else if (name === 'idMembers' || name === 'idLabels') card[name] = value === '' ? [] : value.split(',');
      else if (name === 'idList') {
        const list = state.lists.find((candidate) => candidate.id === value);
        if (!list) return text(400, 'invalid value for idList');
        card.idList = list.id;
        card.idBoard = list.idBoard;
      }
    }
    return undefined;
  };

  /** Trello's API, after authentication. */
  const api = (request: FakeOAuth1Request): FakeOAuth1Reply => {
    const parameters = parametersOf(request);
    const fields = parameters.get('fields');
    const path = request.path.replace(/^\/1/, '');
    let match: RegExpExecArray | null;
    if (request.method === 'GET' && (match = /^\/members\/([^/]+)\/boards$/.exec(path))) {
      const id = decodeURIComponent(match[1] as string);
      if (id !== 'me' && id !== member.id && id !== member.username) return notFound();
      const filter = parameters.get('filter') ?? 'all';
      const boards = state.boards.filter(
        (candidate) =>
          filter === 'all' ||
          (filter === 'open'
            ? !candidate.closed
            : filter === 'closed'
              ? candidate.closed
              : filter === 'starred'
                ? candidate.starred
                : true),
      );
      return { json: boards.map((candidate) => pick(candidate, fields)) };
    }
    if ((match = /^\/(boards|lists|cards)\/([^/]+)(\/.*)?$/.exec(path))) {
      const [, kind, rawId, rest = ''] = match as unknown as [string, string, string, string | undefined];
      const id = decodeURIComponent(rawId);
      if (kind === 'lists' ? !ID.test(id) : !validBoardOrCard(id)) return text(400, 'invalid id');
      if (kind === 'boards') {
        const found = findBoard(id);
        if (!found) return notFound();
        if (request.method === 'GET' && rest === '') {
          const lists = parameters.get('lists');
          return {
            json: {
              ...pick(found, fields),
              ...(lists && lists !== 'none'
                ? {
                    lists: state.lists.filter(
                      (list) => list.idBoard === found.id && (lists === 'all' || list.closed === (lists === 'closed')),
                    ),
                  }
                : {}),
            },
          };
        }
        if (request.method === 'GET' && rest === '/lists') {
          const filter = parameters.get('filter') ?? 'open';
          const cards = parameters.get('cards') ?? 'none';
          const lists = state.lists.filter(
            (list) => list.idBoard === found.id && (filter === 'all' || list.closed === (filter === 'closed')),
          );
          return {
            json: lists.map((list) => ({
              ...pick(list, fields),
              ...(cards !== 'none'
                ? {
                    cards: state.cards.filter(
                      (card) => card.idList === list.id && (cards === 'all' || card.closed === (cards === 'closed')),
                    ),
                  }
                : {}),
            })),
          };
        }
        if (request.method === 'GET' && rest === '/cards') {
          const filter = parameters.get('filter') ?? 'visible';
          return {
            json: state.cards
              .filter(
                (card) =>
                  card.idBoard === found.id && (filter === 'all' || (filter === 'closed' ? card.closed : !card.closed)),
              )
              .map((card) => pick(card, fields)),
          };
        }
      }
      if (kind === 'lists' && request.method === 'GET' && rest === '/cards') {
        if (!state.lists.some((list) => list.id === id)) return notFound();
        return {
          json: state.cards.filter((card) => card.idList === id && !card.closed).map((card) => pick(card, fields)),
        };
      }
      if (kind === 'cards') {
        const card = findCard(id);
        if (!card) return notFound();
        if (request.method === 'GET' && rest === '') return { json: pick(card, fields) };
        if (request.method === 'PUT' && rest === '') return applyCardFields(card, parameters) ?? { json: card };
        if (request.method === 'POST' && rest === '/actions/comments') {
          const commentText = parameters.get('text');
          if (!commentText) return text(400, 'invalid value for text');
          const comment = { id: hex24(), idCard: card.id, text: commentText, idMemberCreator: member.id };
          state.comments.push(comment);
          return {
            json: {
              id: comment.id,
              type: 'commentCard',
              idMemberCreator: member.id,
              data: { text: commentText, card: { id: card.id, name: card.name, shortLink: card.shortLink } },
              memberCreator: { id: member.id, username: member.username },
            },
          };
        }
      }
    }
    if (request.method === 'POST' && path === '/cards') {
      const list = state.lists.find((candidate) => candidate.id === parameters.get('idList'));
      if (!list) return text(400, 'invalid value for idList');
      const card: FakeCard = {
        id: hex24(),
        shortLink: randomBytes(4).toString('hex'),
        name: '',
        desc: '',
        idList: list.id,
        idBoard: list.idBoard,
        closed: false,
        pos: 1e9,
        due: null,
        start: null,
        dueComplete: false,
        idMembers: [],
        idLabels: [],
      };
      const refused = applyCardFields(card, parameters);
      if (refused) return refused;
      state.cards.push(card);
      return { json: card };
    }
    return text(404, `Cannot ${request.method} ${request.path}`);
  };

  const server = await startFakeOAuth1Server({
    consumerKey: apiKey,
    consumerSecret: apiSecret,
    ...TRELLO_OAUTH1,
    resourceHandler: (request) => api(request),
    unsignedHandler: (request) => {
      const parameters = new URLSearchParams(
        request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '',
      );
      if (parameters.get('key') !== apiKey) return text(401, 'invalid key');
      if (parameters.get('token') !== token) return text(401, 'invalid token');
      return api(request);
    },
    resourceRefusal: (problem, status) =>
      text(
        status,
        problem === 'consumer_key_unknown'
          ? 'invalid key'
          : problem === 'token_rejected'
            ? 'invalid token'
            : `invalid signature (${problem})`,
      ),
  });
  const routes = trelloRoutes(server.url);
  return {
    server,
    apiKey,
    apiSecret,
    token,
    state,
    routes,
    reroute: () => rerouteFetch(routes, { forwardedHeaders: true }),
    close: () => server.close(),
  };
}
