import { useQuery } from '@tanstack/react-query';
import { api, ok } from '../api/client';

export type Me = Awaited<ReturnType<typeof fetchMe>>;
export type Role = 'viewer' | 'reporter' | 'administrator';

const fetchMe = async () => ok(await api.GET('/v1/me'));

/** Who is signed in (GET /v1/me): the user, its organisation and role. A 401 means nobody is. */
export const useMe = () => useQuery({ queryKey: ['me'], queryFn: fetchMe, staleTime: 60_000 });

/** The console's role for what it shows; a page only hides what the server would refuse anyway. */
export function roleOf(me: Me): Role {
  return me.user?.role ?? 'viewer';
}
