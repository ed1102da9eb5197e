/**
 * A transaction cancelled for a conflict with another transaction, shaped as the AWS SDK raises it.
 * DynamoDB Local never raises one, so tests inject it through the data package's `injectFault` (the
 * tests may not import the DynamoDB client: only the data package does).
 */
export const transactionConflict = () =>
  Object.assign(new Error('Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict]'), {
    name: 'TransactionCanceledException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    CancellationReasons: [{ Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' }],
  });
