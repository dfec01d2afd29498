import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { arnOf, githubProviderArn, githubTrust } from './deploy-role';
import { buildRoleName, githubOidcHost } from './names';

/** Props of the GitHub stack. */
export interface GithubStackProps extends StackProps {
  project: string;
  githubRepository: string;
  region: string;
  services: string[];
  ecrRepositoryPrefix: string;
  stateBucket?: string;
  /** The build CI identity's KMS key (trust.build.ci.kmsKeyId): `release create` signs every release with it. */
  releaseSigningKey?: string;
}

/**
 * Once per AWS account: GitHub's OIDC identity provider (IAM allows one per issuer and account, so it
 * cannot live in the environment stacks) and the build role, which only `main` of this repository may
 * assume: it pushes the services' images and writes releases to the ledger.
 */
export class GithubStack extends Stack {
  readonly buildRole: iam.Role;

  constructor(scope: Construct, id: string, props: GithubStackProps) {
    super(scope, id, {
      ...props,
      description: `shipgate ${props.project}: GitHub Actions OIDC provider and build role`,
      env: { region: props.region, ...(props.env?.account ? { account: props.env.account } : {}) },
    });
    const provider = new iam.CfnOIDCProvider(this, 'GithubOidcProvider', {
      url: `https://${githubOidcHost}`,
      clientIdList: ['sts.amazonaws.com'],
    });
    this.buildRole = new iam.Role(this, 'BuildRole', {
      roleName: buildRoleName(props.project),
      description: `shipgate builds: GitHub Actions jobs of ${props.githubRepository} on main`,
      maxSessionDuration: Duration.hours(1),
      assumedBy: new iam.WebIdentityPrincipal(
        githubProviderArn(),
        githubTrust(props.githubRepository, 'ref:refs/heads/main'),
      ),
    });
    this.buildRole.node.addDependency(provider);
    this.buildRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'PushServiceImages',
        actions: [
          'ecr:BatchCheckLayerAvailability',
          'ecr:CompleteLayerUpload',
          'ecr:InitiateLayerUpload',
          'ecr:PutImage',
          'ecr:UploadLayerPart',
          'ecr:BatchGetImage',
        ],
        resources: props.services.map((s) =>
          this.formatArn({ service: 'ecr', resource: 'repository', resourceName: `${props.ecrRepositoryPrefix}${s}` }),
        ),
      }),
    );
    this.buildRole.addToPolicy(
      new iam.PolicyStatement({ sid: 'EcrLogin', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }),
    );
    if (props.stateBucket) {
      this.buildRole.addToPolicy(
        new iam.PolicyStatement({
          sid: 'LedgerObjects',
          actions: ['s3:GetObject', 's3:PutObject'],
          resources: [arnOf(`arn:\${AWS::Partition}:s3:::${props.stateBucket}/*`)],
        }),
      );
      this.buildRole.addToPolicy(
        new iam.PolicyStatement({
          sid: 'LedgerBucket',
          actions: ['s3:ListBucket'],
          resources: [arnOf(`arn:\${AWS::Partition}:s3:::${props.stateBucket}`)],
        }),
      );
    }
    const key = props.releaseSigningKey;
    if (key) {
      // An alias is not a resource kms:Sign authorizes on: every key of the account, narrowed to the alias.
      const alias = key.startsWith('alias/');
      this.buildRole.addToPolicy(
        new iam.PolicyStatement({
          sid: 'SignReleases',
          actions: ['kms:GetPublicKey', 'kms:Sign'],
          resources: [
            key.startsWith('arn:')
              ? key
              : arnOf(`arn:\${AWS::Partition}:kms:\${AWS::Region}:\${AWS::AccountId}:key/${alias ? '*' : key}`),
          ],
          ...(alias ? { conditions: { StringEquals: { 'kms:RequestAlias': key } } } : {}),
        }),
      );
    }
    new CfnOutput(this, 'GithubOidcProviderArn', { value: provider.attrArn });
    new CfnOutput(this, 'BuildRoleArn', {
      value: this.buildRole.roleArn,
      description: 'Set as the repository variable AWS_BUILD_ROLE_ARN',
    });
  }
}
