import { useEffect } from 'react';
import { Link } from '../routing/link';

const features = [
  {
    title: 'Bank feeds that reconcile themselves',
    body: 'Harbor matches 9 in 10 transactions to receipts and invoices before you open the app, and asks about the rest.',
  },
  {
    title: 'Invoices that get paid',
    body: 'Branded invoices, card and bank payments, and polite reminders that go out on the schedule you choose.',
  },
  {
    title: 'An assistant that knows your books',
    body: 'Ask Harbor Assist from any page with the button in the corner, or open the Assistant for longer work.',
  },
];

const months = [
  { month: 'Jan', income: 62, expenses: 41 },
  { month: 'Feb', income: 58, expenses: 44 },
  { month: 'Mar', income: 74, expenses: 39 },
  { month: 'Apr', income: 69, expenses: 47 },
  { month: 'May', income: 83, expenses: 45 },
  { month: 'Jun', income: 91, expenses: 50 },
];

/** Harbor's home page: what the product does, and the two ways to reach the assistant. */
export function OverviewPage({ user }: { user: string }) {
  useEffect(() => {
    document.title = 'Harbor · Bookkeeping for small studios';
  }, []);

  return (
    <div className="overview">
      <section className="hero" aria-labelledby="hero-title">
        <div className="hero__text">
          <p className="eyebrow">Welcome back, {user}</p>
          <h1 id="hero-title" className="hero__title">
            Close your month in an afternoon.
          </h1>
          <p className="hero__lead">
            Harbor keeps the books for studios of two to twenty: bank feeds, invoices, expenses and
            quarterly taxes in one calm place. When something is unclear, just ask.
          </p>
          <div className="hero__actions">
            <Link className="button button--primary" href="/chat">
              Open the Assistant
            </Link>
            <a className="button button--secondary" href="#features">
              See what Harbor does
            </a>
          </div>
        </div>
        <figure className="summary-card" aria-labelledby="summary-title">
          <figcaption id="summary-title" className="summary-card__title">
            First half of the year
          </figcaption>
          <dl className="summary-card__figures">
            <div>
              <dt>Income</dt>
              <dd>$437,200</dd>
            </div>
            <div>
              <dt>Expenses</dt>
              <dd>$266,900</dd>
            </div>
            <div>
              <dt>To reconcile</dt>
              <dd>4</dd>
            </div>
          </dl>
          <div
            className="chart"
            role="img"
            aria-label="Income grew from $62k in January to $91k in June while expenses stayed between $39k and $50k."
          >
            {months.map((entry) => (
              <div key={entry.month} className="chart__month">
                <div className="chart__bars">
                  <span
                    className="chart__bar chart__bar--income"
                    style={{ height: `${entry.income}%` }}
                  />
                  <span
                    className="chart__bar chart__bar--expenses"
                    style={{ height: `${entry.expenses}%` }}
                  />
                </div>
                <span className="chart__label" aria-hidden="true">
                  {entry.month}
                </span>
              </div>
            ))}
          </div>
          <p className="chart__legend" aria-hidden="true">
            <span className="chart__key chart__key--income" /> Income
            <span className="chart__key chart__key--expenses" /> Expenses
          </p>
        </figure>
      </section>

      <section id="features" className="features" aria-labelledby="features-title">
        <h2 id="features-title" className="section-title">
          Everything a studio’s books need
        </h2>
        <ul className="features__grid">
          {features.map((feature) => (
            <li key={feature.title} className="feature">
              <h3 className="feature__title">{feature.title}</h3>
              <p className="feature__body">{feature.body}</p>
            </li>
          ))}
        </ul>
      </section>

      <footer className="site-footer">
        <span>© Harbor Books, Inc.</span>
        <span>A demo host app for Confab. Harbor is fictional.</span>
      </footer>
    </div>
  );
}
