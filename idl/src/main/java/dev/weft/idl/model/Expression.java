package dev.weft.idl.model;

import java.util.OptionalLong;

/**
 * An expression from an attribute ({@code size_is(*pcount + 1)}), an array bound, an enum value, a case
 * label or a constant. Identifiers naming constants and enum values are resolved to {@link ConstantRef};
 * the remaining {@link Identifier}s name a sibling struct member or parameter.
 */
public sealed interface Expression {

    /** The value, when the expression is constant. */
    default OptionalLong constantValue() {
        return OptionalLong.empty();
    }

    /** The expression in C syntax, fully parenthesised where operators nest. */
    String render();

    /** An integer literal (decimal, hex, octal or a character literal). */
    record IntegerLiteral(long value) implements Expression {
        @Override
        public OptionalLong constantValue() {
            return OptionalLong.of(value);
        }

        @Override
        public String render() {
            return Long.toString(value);
        }
    }

    /** A string literal (only meaningful as a {@code const} value). */
    record StringLiteral(String value) implements Expression {
        @Override
        public String render() {
            return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        }
    }

    /** A name that is not a constant: a struct member or parameter of the same scope. */
    record Identifier(String name) implements Expression {
        @Override
        public String render() {
            return name;
        }
    }

    /** A named constant ({@code const} or enum value) with its evaluated value. */
    record ConstantRef(String name, long value) implements Expression {
        @Override
        public OptionalLong constantValue() {
            return OptionalLong.of(value);
        }

        @Override
        public String render() {
            return name;
        }
    }

    /** {@code *operand}: the value a pointer parameter or member points to. */
    record Deref(Expression operand) implements Expression {
        @Override
        public String render() {
            return "*" + operand.render();
        }
    }

    /** {@code target.member} or {@code target->member}. */
    record Member(Expression target, String member, boolean arrow) implements Expression {
        @Override
        public String render() {
            return target.render() + (arrow ? "->" : ".") + member;
        }
    }

    /** A unary operator: {@code - + ! ~}. */
    record Unary(String operator, Expression operand) implements Expression {
        @Override
        public OptionalLong constantValue() {
            OptionalLong v = operand.constantValue();
            if (v.isEmpty()) {
                return v;
            }
            long x = v.getAsLong();
            return switch (operator) {
                case "-" -> OptionalLong.of(-x);
                case "+" -> OptionalLong.of(x);
                case "!" -> OptionalLong.of(x == 0 ? 1 : 0);
                case "~" -> OptionalLong.of(~x);
                default -> OptionalLong.empty();
            };
        }

        @Override
        public String render() {
            return operator + operand.render();
        }
    }

    /** A binary operator: arithmetic, shifts, comparisons, bitwise and logical operators. */
    record Binary(String operator, Expression left, Expression right) implements Expression {
        @Override
        public OptionalLong constantValue() {
            OptionalLong l = left.constantValue();
            OptionalLong r = right.constantValue();
            if (l.isEmpty() || r.isEmpty()) {
                return OptionalLong.empty();
            }
            long a = l.getAsLong();
            long b = r.getAsLong();
            return switch (operator) {
                case "+" -> OptionalLong.of(a + b);
                case "-" -> OptionalLong.of(a - b);
                case "*" -> OptionalLong.of(a * b);
                case "/" -> b == 0 ? OptionalLong.empty() : OptionalLong.of(a / b);
                case "%" -> b == 0 ? OptionalLong.empty() : OptionalLong.of(a % b);
                case "<<" -> OptionalLong.of(a << b);
                case ">>" -> OptionalLong.of(a >> b);
                case "<" -> OptionalLong.of(a < b ? 1 : 0);
                case ">" -> OptionalLong.of(a > b ? 1 : 0);
                case "<=" -> OptionalLong.of(a <= b ? 1 : 0);
                case ">=" -> OptionalLong.of(a >= b ? 1 : 0);
                case "==" -> OptionalLong.of(a == b ? 1 : 0);
                case "!=" -> OptionalLong.of(a != b ? 1 : 0);
                case "&" -> OptionalLong.of(a & b);
                case "|" -> OptionalLong.of(a | b);
                case "^" -> OptionalLong.of(a ^ b);
                case "&&" -> OptionalLong.of(a != 0 && b != 0 ? 1 : 0);
                case "||" -> OptionalLong.of(a != 0 || b != 0 ? 1 : 0);
                default -> OptionalLong.empty();
            };
        }

        @Override
        public String render() {
            return "(" + left.render() + " " + operator + " " + right.render() + ")";
        }
    }

    /** {@code condition ? then : otherwise}. */
    record Conditional(Expression condition, Expression then, Expression otherwise) implements Expression {
        @Override
        public OptionalLong constantValue() {
            OptionalLong c = condition.constantValue();
            if (c.isEmpty()) {
                return c;
            }
            return c.getAsLong() != 0 ? then.constantValue() : otherwise.constantValue();
        }

        @Override
        public String render() {
            return "(" + condition.render() + " ? " + then.render() + " : " + otherwise.render() + ")";
        }
    }

    /**
     * A cast, {@code (unsigned long) x}. The type is kept as written; casts in IDL only silence MIDL's
     * type checks, and the value is used as is.
     */
    record Cast(String typeName, Expression operand) implements Expression {
        @Override
        public OptionalLong constantValue() {
            return operand.constantValue();
        }

        @Override
        public String render() {
            return "(" + typeName + ") " + operand.render();
        }
    }
}
