/** The repository an API call is about. */
export interface RepositoryRef {
  owner: string;
  repo: string;
}
