/** `matrix[true][predicted]`: how many images of each class went to each class. */
export function confusionMatrix(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  classes: number,
): number[][] {
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < labels.length; i++) matrix[labels[i]!]![predictions[i]!]!++;
  return matrix;
}

/**
 * The matrix as a table: a row per true class, a column per predicted class, each cell shaded by its share of
 * its row (the diagonal: each class's recall), the counts written in.
 */
export function confusionTable(
  matrix: readonly (readonly number[])[],
  classNames: readonly string[],
): HTMLTableElement {
  const table = document.createElement('table');
  table.className = 'confusion';
  const head = table.createTHead().insertRow();
  head.insertCell().outerHTML = '<th scope="col">true ↓ · predicted →</th>';
  for (const name of classNames) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = name.slice(0, 5);
    th.title = name;
    head.append(th);
  }
  const body = table.createTBody();
  for (const [t, row] of matrix.entries()) {
    const tr = body.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = classNames[t] ?? String(t);
    tr.append(th);
    const total = row.reduce((a, b) => a + b, 0) || 1;
    for (const [p, count] of row.entries()) {
      const cell = tr.insertCell();
      const share = count / total;
      cell.textContent = String(count);
      cell.title = `${classNames[t]} → ${classNames[p]}: ${count} (${(share * 100).toFixed(1)}% of ${classNames[t]})`;
      cell.style.background = `rgba(59, 91, 219, ${share.toFixed(3)})`;
      if (share > 0.5) cell.style.color = '#fff';
      if (t === p) cell.className = 'diagonal';
    }
  }
  return table;
}
