import type { ConfigurationItem } from '../../../src/records/types.generated.js';

/** What a test says about a CI; the rest gets a plain default. */
export interface CiSketch {
  name?: string;
  criticality?: number;
  environment?: string;
  dependsOn?: string[];
  partOf?: string[];
}

/** A schema-valid CI with only the fields a test cares about set. */
export function ci(id: string, sketch: CiSketch = {}): ConfigurationItem {
  const { name = id, criticality = 3, ...rest } = sketch;
  return {
    apiVersion: 'changeops/v1',
    kind: 'ConfigurationItem',
    id,
    name,
    class: 'application',
    owner: '@acme/team',
    criticality,
    ...rest,
  };
}

/** The small estate of the SPEC: a database, the API on it, the shop the API is part of. */
export function paymentsEstate(): ConfigurationItem[] {
  return [
    ci('online-shop', { name: 'Online Shop', criticality: 1, environment: 'production' }),
    ci('payments-api', {
      name: 'Payments API',
      criticality: 1,
      environment: 'production',
      dependsOn: ['pg-payments'],
      partOf: ['online-shop'],
    }),
    ci('pg-payments', { name: 'Payments DB', criticality: 2, environment: 'production' }),
    ci('reporting', {
      name: 'Reporting',
      criticality: 3,
      environment: 'staging',
      dependsOn: ['pg-payments'],
    }),
  ];
}
