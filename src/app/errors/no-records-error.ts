import { ChangeopsError } from '../../errors/changeops-error.js';

/**
 * The folder given as the repository root holds nothing changeops reads: no policy file, no
 * changes/, no cmdb/. Almost always a wrong --dir (or `dir` input); validating it would print an
 * empty "valid". A usage error, exit 2.
 */
export class NoRecordsError extends ChangeopsError {
  override name = 'NoRecordsError';

  /** `problem` says what the root holds; `sentence` adds the question for the face's option. */
  constructor(readonly problem: string) {
    super(problem);
  }

  /** The whole sentence for a face whose root option is `option` (`--dir`, the `dir` input). */
  sentence(option: string): string {
    return `${this.problem}: is ${option} right?`;
  }
}
