import { Type, type TSchema } from '@sinclair/typebox';
import type { RegisterEntity } from '../registry/index.js';
import type { Permission } from '../policy/index.js';
import { FACILITY_STATUSES, SERVICE_DOMAINS } from '../store/index.js';
import * as S from './schemas.js';
import { literals } from './schemas.js';

/** The three registers' routes share one shape (route-registry.ts); only these schemas and filters differ. */
const Within = Type.Optional(
  Type.String({ pattern: '^[0-9]{2,12}$', description: 'division code prefix, e.g. 510104 锦江区' }),
);
const Q = Type.Optional(Type.String({ maxLength: 50, description: 'part of the name' }));

export interface RegisterSpec {
  entity: RegisterEntity;
  keyName: 'code' | 'uscc';
  title: string;
  record: TSchema;
  input: TSchema;
  filters: Record<string, TSchema>;
  write: Permission;
}

/** The three registers share one route shape; only their schemas and filters differ. */
export const REGISTERS: RegisterSpec[] = [
  {
    entity: 'communities',
    keyName: 'code',
    title: 'Communities (社区/小区)',
    record: S.Community,
    input: S.CommunityInput,
    filters: { within: Within, q: Q },
    write: 'registry.write.communities',
  },
  {
    entity: 'facilities',
    keyName: 'code',
    title: 'Facilities and outlets (设施/网点)',
    record: S.Facility,
    input: S.FacilityInput,
    filters: {
      within: Within,
      q: Q,
      type: Type.Optional(Type.String({ description: 'facility type code' })),
      domain: Type.Optional(literals(SERVICE_DOMAINS)),
      status: Type.Optional(literals(FACILITY_STATUSES)),
      affordable: Type.Optional(Type.Boolean({ description: '普惠 only (true) or not (false)' })),
      provider: Type.Optional(Type.String({ description: '统一社会信用代码 of the operator' })),
    },
    write: 'registry.write.facilities',
  },
  {
    entity: 'providers',
    keyName: 'uscc',
    title: 'Providers (经营主体)',
    record: S.Provider,
    input: S.ProviderInput,
    filters: { within: Within, q: Q, domain: Type.Optional(literals(SERVICE_DOMAINS)) },
    write: 'registry.write.providers',
  },
];
